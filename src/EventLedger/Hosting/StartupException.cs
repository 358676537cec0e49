namespace EventLedger.Hosting;

/// <summary>A configuration problem an operator must fix; printed as one line, without a stack trace.</summary>
public sealed class StartupException(string message) : Exception(message);
