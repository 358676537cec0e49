namespace EventLedger.Hosting;

/// <summary>The switch's logs: what is filtered and why, the JSON form, and the fault filter over every provider.</summary>
public static class SwitchLogging
{
    public static void AddSwitchLogging(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (string.Equals(configuration["Logging:Console:FormatterName"], "json", StringComparison.OrdinalIgnoreCase))
        {
            // One JSON object per line for log shippers, with the request's and the redemption's
            // identifiers (the logging scopes) as fields and UTC times.
            builder.Logging.AddJsonConsole();
            // Defaults for what the configuration leaves unsaid (Logging:Console:FormatterOptions).
            var formatter = configuration.GetSection("Logging:Console:FormatterOptions");
            builder.Services.PostConfigure<Microsoft.Extensions.Logging.Console.JsonConsoleFormatterOptions>(json =>
            {
                json.IncludeScopes = formatter.GetValue("IncludeScopes", true);
                json.UseUtcTimestamp = formatter.GetValue("UseUtcTimestamp", true);
                json.TimestampFormat = formatter["TimestampFormat"] ?? "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        // Request and HttpClient logs carry query strings, and a lookup's query holds a voucher code.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        // Readiness reports each failing check; the database's absence is logged once by LedgerAvailability.
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical);
        FaultLogFilter.Apply(builder.Services);
    }
}
