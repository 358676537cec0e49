namespace EventLedger.Tests.Infrastructure;

/// <summary>
/// A long form (minutes or more): reported as skipped unless <c>EVENTLEDGER_LONG=1</c>, so that
/// <c>dotnet test</c> stays quick. docs/reliability.md says how to run them and what they measured.
/// </summary>
public sealed class LongFactAttribute : FactAttribute
{
    public const string Variable = "EVENTLEDGER_LONG";

    public LongFactAttribute()
    {
        if (!Enabled)
        {
            Skip = $"long form: set {Variable}=1 to run it";
        }
    }

    public static bool Enabled => Environment.GetEnvironmentVariable(Variable) == "1";
}

/// <summary>The theory form of <see cref="LongFactAttribute"/>.</summary>
public sealed class LongTheoryAttribute : TheoryAttribute
{
    public LongTheoryAttribute()
    {
        if (!LongFactAttribute.Enabled)
        {
            Skip = $"long form: set {LongFactAttribute.Variable}=1 to run it";
        }
    }
}
