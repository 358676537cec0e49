namespace EventLedger.Hosting;

/// <summary>
/// Marten's and Wolverine's agents log every failed use of an unreachable database as an error with
/// its stack trace: dozens a minute during an outage. An entry whose exception says the database is
/// unavailable is therefore dropped while <see cref="LedgerAvailability"/> knows of the outage (it
/// logged the outage once, and each of the switch's loops said once what waits), and otherwise
/// written as one line without the stack trace (a stray broken connection after a restart, say).
/// This applies to every category, because Wolverine logs a message's failure under the message
/// type's name (<c>EventLedger.StoreAndForward.ForwardAdvice</c>); the switch's own code never logs
/// such an exception with its stack trace. Two more consequences of an outage that the frameworks
/// (their categories only) log as errors with stack traces become one line too: a cancelled or
/// timed-out call, and Marten's gap-filling "tombstone" events colliding with the events of an
/// append whose commit was in doubt (the append did commit; nothing is lost). Every other entry is
/// written unchanged. Providers registered after <see cref="Apply"/> are not wrapped.
/// </summary>
public sealed class FaultLogFilter(ILoggerProvider inner, IServiceProvider services) : ILoggerProvider, ISupportExternalScope
{
    private LedgerAvailability? _availability;

    private static readonly string[] FrameworkCategories = ["Wolverine", "Marten", "JasperFx", "Weasel", "Npgsql"];

    public ILogger CreateLogger(string categoryName) =>
        new Filtered(inner.CreateLogger(categoryName), this, FrameworkCategories.Any(c => categoryName.StartsWith(c, StringComparison.Ordinal)));

    public void Dispose() => inner.Dispose();

    /// <summary>Scopes (request ids, message ids) reach the wrapped provider as they would without the filter.</summary>
    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => (inner as ISupportExternalScope)?.SetScopeProvider(scopeProvider);

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
