using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EventLedger.Tests.Infrastructure;

/// <summary>Keeps what a host logs at Warning and above, so tests can assert what an operator would read.</summary>
public sealed class LogRecorder : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public IReadOnlyList<LogEntry> Errors => [.. _entries.Where(e => e.Level >= LogLevel.Error)];

    public void Clear() => _entries.Clear();

    public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Recorder(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                entries.Enqueue(new LogEntry(logLevel, category, formatter(state, exception), exception));
            }
        }
    }
}

public sealed record LogEntry(LogLevel Level, string Category, string Message, Exception? Exception)
{
    public override string ToString() => $"{Level} {Category}: {Message} {Exception?.GetType().Name}";
}
