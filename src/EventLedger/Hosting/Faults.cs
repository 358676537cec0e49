using System.Net.Sockets;
using Npgsql;

namespace EventLedger.Hosting;

/// <summary>
/// Which exceptions are the ordinary faults of a running switch (the database restarting, a
/// connection cut, a pool or a command timing out) rather than bugs. The switch answers them with
/// a retryable error or retries them itself, and logs them as one line without a stack trace.
/// </summary>
public static class Faults
{
    /// <summary>True when the exception, or one it wraps, says the database could not be reached or dropped us.</summary>
    public static bool IsDatabaseUnavailable(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    // 08: connection exception; 53: insufficient resources; 57P: operator intervention
                    // (shutdown, crash shutdown, cannot connect now); 58: system error (I/O).
                    return pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("53", StringComparison.Ordinal)
                        || pg.SqlState.StartsWith("57P", StringComparison.Ordinal) || pg.SqlState.StartsWith("58", StringComparison.Ordinal);
                case NpgsqlException npgsql when npgsql.IsTransient:
                case SocketException:
                    return true;
            }

            if (e is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Any(IsDatabaseUnavailable);
            }
        }

        return false;
    }

    /// <summary>The first line of the innermost useful message: enough for one log line.</summary>
    public static string Describe(Exception ex)
    {
        var innermost = ex;
        while (innermost.InnerException is { } inner && !string.IsNullOrWhiteSpace(inner.Message))
        {
            innermost = inner;
        }

        var line = innermost.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        return $"{innermost.GetType().Name}: {line}";
    }
}
