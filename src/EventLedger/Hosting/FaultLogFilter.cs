namespace EventLedger.Hosting;

/// <summary>
/// Marten's and Wolverine's agents (and Wolverine's per-message loggers) log every failed use of
/// an unreachable database as an error with its stack trace: dozens a minute during an outage.
/// An entry whose exception says the database is unavailable is therefore dropped while
/// <see cref="LedgerAvailability"/> knows of the outage (it logged the outage once, and each of the
/// switch's loops said once what waits), and otherwise written as one line without the stack
/// trace (a stray broken connection after a restart, say). Every other entry is written unchanged.
/// </summary>
public sealed class FaultLogFilter(ILoggerProvider inner, IServiceProvider services) : ILoggerProvider
{
    private LedgerAvailability? _availability;

    public ILogger CreateLogger(string categoryName) => new Filtered(inner.CreateLogger(categoryName), this);

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

            services[i] = ServiceDescriptor.Singleton<ILoggerProvider>(sp => new FaultLogFilter(Create(sp, descriptor), sp));
        }
    }

    private static ILoggerProvider Create(IServiceProvider sp, ServiceDescriptor descriptor) => descriptor switch
    {
        { ImplementationInstance: ILoggerProvider instance } => instance,
        { ImplementationFactory: { } factory } => (ILoggerProvider)factory(sp),
        _ => (ILoggerProvider)ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!),
    };

    /// <summary>Resolved on first use, not at construction: the monitor itself needs a logger.</summary>
    private bool OutageKnown => (_availability ??= services.GetService<LedgerAvailability>()) is { IsAvailable: false };

    private sealed class Filtered(ILogger inner, FaultLogFilter filter) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is null || !Faults.IsDatabaseUnavailable(exception))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
            else if (!filter.OutageKnown)
            {
                inner.Log(LogLevel.Warning, eventId, state, null, (s, e) => $"{formatter(s, e)} ({Faults.Describe(exception)})");
            }
        }
    }
}
