using EventLedger.Accounts;

namespace EventLedger.Clients;

/// <summary>An originating system allowed to call the switch (section <c>Clients</c>, a list).</summary>
public sealed class OriginatorClient : IAccount
{
    public const string Section = "Clients";

    /// <summary>Its institution id: the Basic user name, and the <c>client.id</c> its messages must carry.</summary>
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public string PasswordHash { get; set; } = "";
}
