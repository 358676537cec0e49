namespace EventLedger.Redemptions;

/// <summary>
/// One waiter at a time per key, in this process. Writers of one redemption queue here, in memory,
/// before they take a pooled connection to wait on the redemption's database lock: a till resending
/// one request a hundred times at once then holds one connection, not a hundred, and cannot drain
/// the pool that every other redemption needs.
/// </summary>
public sealed class KeyedGate
{
    private readonly Dictionary<string, (SemaphoreSlim Gate, int Users)> _gates = new(StringComparer.Ordinal);

    public async Task<IDisposable> EnterAsync(string key, CancellationToken ct)
    {
        SemaphoreSlim gate;
        lock (_gates)
        {
            if (_gates.TryGetValue(key, out var entry))
            {
                gate = entry.Gate;
                _gates[key] = (gate, entry.Users + 1);
            }
            else
            {
                gate = new SemaphoreSlim(1, 1);
                _gates[key] = (gate, 1);
            }
        }

        try
        {
            await gate.WaitAsync(ct);
        }
        catch
        {
            Leave(key, released: false);
            throw;
        }

        return new Entered(this, key);
    }

    private void Leave(string key, bool released)
    {
        lock (_gates)
        {
            var (gate, users) = _gates[key];
            if (released)
            {
                gate.Release();
            }

            if (users == 1)
            {
                _gates.Remove(key);
                gate.Dispose();
            }
            else
            {
                _gates[key] = (gate, users - 1);
            }
        }
    }

    private sealed class Entered(KeyedGate owner, string key) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                owner.Leave(key, released: true);
            }
        }
    }
}
