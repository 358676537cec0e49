namespace EventLedger.Hosting;

/// <summary>
/// Marten's and Wolverine's agents (and Wolverine's per-message loggers) log every failed use of
/// an unreachable database as an error with its stack trace: dozens a minute during an outage.
/// An entry whose exception says the database is unavailable is therefore dropped while
/// <see cref="LedgerAvailability"/> knows of the outage (it logged the outage once, and each of the
/// switch's loops said once what waits), and otherwise written as one line without the stack
/// trace (a stray broken connection after a restart, say). Two more consequences of an outage are
/// written by the frameworks as errors with stack traces and are turned into one line too: a
/// cancelled or timed-out database call, and Marten's gap-filling "tombstone" events colliding with
/// the events of an append whose commit was in doubt (the append did commit; nothing is lost).
/// Every other entry is written unchanged.
/// </summary>
public sealed class FaultLogFilter(ILoggerProvider inner, IServiceProvider services) : ILoggerProvider
{
    private LedgerAvailability? _availability;

    private static readonly string[] FrameworkCategories = ["Wolverine", "Marten", "JasperFx", "Weasel", "Npgsql"];

    public ILogger CreateLogger(string categoryName) =>
        new Filtered(inner.CreateLogger(categoryName), this, FrameworkCategories.Any(c => categoryName.StartsWith(c, StringComparison.Ordinal)));

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

    private sealed class Filtered(ILogger inner, FaultLogFilter filter, bool framework) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is not null && Faults.IsDatabaseUnavailable(exception))
            {
                if (!filter.OutageKnown)
                {
                    OneLine(eventId, state, exception, formatter);
                }
            }
            else if (exception is not null && framework && (exception is OperationCanceledException or TimeoutException || IsTombstoneCollision(exception)))
            {
                OneLine(eventId, state, exception, formatter);
            }
            else
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }

        private void OneLine<TState>(EventId eventId, TState state, Exception exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(LogLevel.Warning, eventId, state, null, (s, e) => $"{formatter(s, e)} ({Faults.Describe(exception)})");

        private static bool IsTombstoneCollision(Exception ex)
        {
            for (var e = ex; e is not null; e = e.InnerException)
            {
                if (e is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation, ConstraintName: "pkey_mt_events_seq_id" })
                {
                    return true;
                }
            }

            return false;
        }
    }
}
