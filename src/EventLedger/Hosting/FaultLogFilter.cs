namespace EventLedger.Hosting;

/// <summary>
/// Marten's and Wolverine's agents log every failed poll of an unreachable database as an error
/// with its stack trace: dozens a minute during an outage. The outage itself is logged once by
/// <see cref="LedgerAvailability"/> (and once by each of the switch's own loops), so those entries
/// are dropped. Any other entry of theirs is logged unchanged.
/// </summary>
public sealed class FaultLogFilter(ILoggerProvider inner) : ILoggerProvider
{
    private static readonly string[] FrameworkCategories =
        ["Wolverine", "Marten", "JasperFx", "Weasel", "Npgsql"];

    public ILogger CreateLogger(string categoryName)
    {
        var logger = inner.CreateLogger(categoryName);
        return FrameworkCategories.Any(c => categoryName.StartsWith(c, StringComparison.Ordinal)) ? new Filtered(logger) : logger;
    }

    public void Dispose() => inner.Dispose();

    /// <summary>Wraps every logger provider registered so far (console, debug, …) in the filter.</summary>
    public static void Apply(IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(ILoggerProvider) || descriptor.IsKeyedService)
            {
                continue;
            }

            services[i] = ServiceDescriptor.Singleton<ILoggerProvider>(sp => new FaultLogFilter(Create(sp, descriptor)));
        }
    }

    private static ILoggerProvider Create(IServiceProvider sp, ServiceDescriptor descriptor) => descriptor switch
    {
        { ImplementationInstance: ILoggerProvider instance } => instance,
        { ImplementationFactory: { } factory } => (ILoggerProvider)factory(sp),
        _ => (ILoggerProvider)ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!),
    };

    private sealed class Filtered(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is null || !Faults.IsDatabaseUnavailable(exception))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
