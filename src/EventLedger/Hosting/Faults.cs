using System.Net.Sockets;
using Npgsql;

namespace EventLedger.Hosting;

/// <summary>
/// Which exceptions are the ordinary faults of a running switch rather than bugs. The switch
/// answers them with a retryable error or retries them itself, and logs them as one line.
/// </summary>
public static class Faults
{
    /// <summary>
    /// True when the exception, or one it wraps, says the database could not be reached or dropped the
    /// connection: refused or unanswered connects, connections cut, the server shutting down. Not a
    /// pool exhausted by this process's own load, nor a statement that failed: those are not outages,
    /// and calling them one would turn every request away.
    /// </summary>
    public static bool IsDatabaseUnavailable(Exception ex)
    {
        if (ex is AggregateException aggregate)
        {
            return aggregate.InnerExceptions.Any(IsDatabaseUnavailable);
        }

        // Only the database's client speaks for the database: a socket error of a provider call is not an outage.
        if (!Chain(ex).Any(e => e is NpgsqlException))
        {
            return false;
        }

        foreach (var e in Chain(ex))
        {
            switch (e)
            {
                case PostgresException pg:
                    // 08: connection exception; 53: insufficient resources (too many connections);
                    // 57P: operator intervention (shutdown, crash shutdown, cannot connect now); 58: I/O.
                    return pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("53", StringComparison.Ordinal)
                        || pg.SqlState.StartsWith("57P", StringComparison.Ordinal) || pg.SqlState.StartsWith("58", StringComparison.Ordinal);
                case NpgsqlException npgsql when npgsql.Message.Contains("pool has been exhausted", StringComparison.OrdinalIgnoreCase):
                    return false;
                case SocketException or IOException:
                    return true;
                case NpgsqlException { InnerException: TimeoutException }:
                    return true; // a connect, or an answer, that never came
            }
        }

        return false;
    }

    private static IEnumerable<Exception> Chain(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    /// <summary>SQLSTATE 55P03: a lock (the redemption's) was not granted within <c>lock_timeout</c>; nothing was written.</summary>
    public static bool IsLockTimeout(Exception ex) =>
        Chain(ex).Any(e => e is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable });

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
