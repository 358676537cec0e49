namespace EventLedger.Clients;

/// <summary>An originating system allowed to call the switch (section <c>Clients</c>, a list).</summary>
public sealed class OriginatorClient
{
    public const string Section = "Clients";

    /// <summary>Its institution id: the Basic user name, and the <c>client.id</c> its messages must carry.</summary>
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>The output of <c>hash-password</c>; never the password itself.</summary>
    public string PasswordHash { get; set; } = "";
}
