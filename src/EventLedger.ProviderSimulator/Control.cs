using System.Collections.Concurrent;
using EventLedger.Suv;
using EventLedger.Suv.Messages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace EventLedger.ProviderSimulator;

/// <summary>The SUV operations the simulator serves, as named in behaviours and the message log.</summary>
public static class Operation
{
    public const string Provision = "provision";
    public const string ConfirmProvision = "confirmProvision";
    public const string ReverseProvision = "reverseProvision";
    public const string Lookup = "lookup";
    public const string Redeem = "redeem";
    public const string ConfirmRedemption = "confirmRedemption";
    public const string ReverseRedemption = "reverseRedemption";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Provision, ConfirmProvision, ReverseProvision, Lookup, Redeem, ConfirmRedemption, ReverseRedemption,
    };
}

public enum BehaviourAction
{
    /// <summary>Answer with the given status and errorType without doing anything.</summary>
    Respond,

    /// <summary>Wait, then do the operation as usual (longer than the switch's timeout: done, but too late).</summary>
    Delay,

    /// <summary>Do the operation, then cut the connection without answering.</summary>
    Drop,

    /// <summary>Act as a provider that does not offer this operation at all: 501 FUNCTION_NOT_SUPPORTED.</summary>
    Refuse,

    /// <summary>Take the request and never answer, doing nothing, until the caller gives up.</summary>
    Hang,

    /// <summary>Answer <c>status</c> (default 200) with exactly the bytes of <c>bodyBase64</c>, doing nothing.</summary>
    Raw,

    /// <summary>Do the operation, then send its answer one byte every <c>chunkDelayMs</c>.</summary>
    Trickle,

    /// <summary>Do the operation, send the status, headers and half the answer, then cut the connection.</summary>
    CutShort,
}

/// <summary>
/// A rule for the next <c>Times</c> calls of an operation (all calls when null), until cleared; with
/// <c>MatchId</c>, only for messages whose id or request id (a lookup's voucher code) is that value.
/// </summary>
public sealed record Behaviour(
    string Operation, BehaviourAction Action, int? Status = null, string? ErrorType = null, int DelayMs = 0, int? Times = null,
    string? MatchId = null, string? BodyBase64 = null, int ChunkDelayMs = 100);

/// <summary>One kind of message received, with how often it arrived (retransmissions share an id) and the identifiers it last carried.</summary>
public sealed record ReceivedMessage(
    string Operation, string Id, string? RequestId, int Count, DateTimeOffset FirstAt, DateTimeOffset LastAt,
    IReadOnlyList<ThirdPartyIdentifier>? Identifiers = null);

/// <summary>Behaviours to play and the log of every message received: what tests, benchmarks and people steer.</summary>
public sealed class SimulatorControl(SimulatorOptions options, TimeProvider time)
{
    /// <summary>Longest delay a behaviour may ask for.</summary>
    public const int MaxDelayMs = 600_000;

    private readonly Lock _gate = new();
    private readonly List<(Behaviour Rule, int Remaining)> _behaviours = [];
    private readonly ConcurrentDictionary<(string Operation, string Id), ReceivedMessage> _received = new();

    public void Add(Behaviour behaviour)
    {
        lock (_gate)
        {
            _behaviours.Add((behaviour, behaviour.Times ?? int.MaxValue));
        }
    }

    /// <summary>Removes the behaviours that apply to one message id (a test done with it).</summary>
    public void Forget(string matchId)
    {
        lock (_gate)
        {
            _behaviours.RemoveAll(b => string.Equals(b.Rule.MatchId, matchId, StringComparison.OrdinalIgnoreCase));
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _behaviours.Clear();
        }
    }

    public IReadOnlyList<ReceivedMessage> Received() =>
        _received.Values.OrderBy(m => m.FirstAt).ThenBy(m => m.Id, StringComparer.Ordinal).ToList();

    public void ClearReceived() => _received.Clear();

    /// <summary>Logs the message, then plays the first matching behaviour around the real operation.</summary>
    public async Task<IResult> RunAsync(
        HttpContext context, string operation, string id, string? requestId, Func<IResult> process, IReadOnlyList<ThirdPartyIdentifier>? identifiers = null)
    {
        var now = time.GetUtcNow();
        _received.AddOrUpdate((operation, id),
            _ => new ReceivedMessage(operation, id, requestId, 1, now, now, identifiers),
            (_, seen) => seen with { Count = seen.Count + 1, LastAt = now, Identifiers = identifiers });

        var behaviour = options.RefusedOperations.Contains(operation) ? new Behaviour(operation, BehaviourAction.Refuse) : Next(operation, id, requestId);
        if (behaviour is null)
        {
            return process();
        }

        if (behaviour.DelayMs > 0)
        {
            // Not cut short when the caller hangs up: a real provider finishes what it started.
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(behaviour.DelayMs, MaxDelayMs)), time);
        }

        switch (behaviour.Action)
        {
            case BehaviourAction.Respond:
                var status = behaviour.Status ?? 500;
                return SuvHttp.Error(status, ErrorDetail.Of(behaviour.ErrorType ?? ErrorTypes.GeneralError, $"Simulated {status}", id, requestId));
            case BehaviourAction.Drop:
                process();
                context.Abort();
                return Results.Empty;
            case BehaviourAction.Refuse:
                return SuvHttp.Error(501, ErrorDetail.Of(ErrorTypes.FunctionNotSupported, "This provider does not take this operation", id, requestId));
            case BehaviourAction.Hang:
                await HangAsync(context);
                return Results.Empty;
            case BehaviourAction.Raw:
                var raw = Convert.FromBase64String(behaviour.BodyBase64 ?? "");
                context.Response.StatusCode = behaviour.Status ?? 200;
                context.Response.ContentType = "application/json";
                await context.Response.Body.WriteAsync(raw);
                return Results.Empty;
            case BehaviourAction.Trickle:
                await TrickleAsync(context, process(), behaviour.ChunkDelayMs);
                return Results.Empty;
            case BehaviourAction.CutShort:
                await CutShortAsync(context, process());
                return Results.Empty;
            default:
                return process();
        }
    }

    private async Task HangAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(MaxDelayMs), time, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The caller gave up, as it should.
        }

        context.Abort();
    }

    /// <summary>The answer the operation would have given, as status, content type and bytes.</summary>
    private static async Task<(int Status, string? ContentType, byte[] Body)> RenderAsync(HttpContext context, IResult result)
    {
        var rendered = new DefaultHttpContext { RequestServices = context.RequestServices };
        using var body = new MemoryStream();
        rendered.Response.Body = body;
        await result.ExecuteAsync(rendered);
        return (rendered.Response.StatusCode, rendered.Response.ContentType, body.ToArray());
    }

    private async Task TrickleAsync(HttpContext context, IResult result, int chunkDelayMs)
    {
        var (status, contentType, body) = await RenderAsync(context, result);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        try
        {
            foreach (var b in body)
            {
                await context.Response.Body.WriteAsync(new[] { b }, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp(chunkDelayMs, 1, MaxDelayMs)), time, context.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The caller stopped listening.
        }
    }

    private static async Task CutShortAsync(HttpContext context, IResult result)
    {
        var (status, contentType, body) = await RenderAsync(context, result);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 2));
        await context.Response.Body.FlushAsync();
        context.Abort();
    }

    private Behaviour? Next(string operation, string id, string? requestId)
    {
        lock (_gate)
        {
            var index = _behaviours.FindIndex(b => b.Rule.Operation == operation &&
                (b.Rule.MatchId is null || string.Equals(b.Rule.MatchId, id, StringComparison.OrdinalIgnoreCase) ||
                    string.Equals(b.Rule.MatchId, requestId, StringComparison.OrdinalIgnoreCase)));
            if (index < 0)
            {
                return null;
            }

            var (rule, remaining) = _behaviours[index];
            if (remaining <= 1)
            {
                _behaviours.RemoveAt(index);
            }
            else
            {
                _behaviours[index] = (rule, remaining - 1);
            }

            return rule;
        }
    }

    private static bool IsBase64(string? text) => text is null || Convert.TryFromBase64String(text, new byte[text.Length], out _);

    public static void Map(WebApplication app)
    {
        var control = app.MapGroup("/control");
        control.MapPost("/behaviours", (Behaviour behaviour, SimulatorControl sim) =>
        {
            if (!Operation.All.Contains(behaviour.Operation) || behaviour.DelayMs is < 0 or > MaxDelayMs || behaviour.Times is < 1 ||
                behaviour.Status is < 100 or > 599 || behaviour.ChunkDelayMs is < 1 or > MaxDelayMs || !IsBase64(behaviour.BodyBase64))
            {
                return Results.BadRequest(new { error = $"operation must be one of {string.Join(", ", Operation.All)}; delayMs and chunkDelayMs 0..{MaxDelayMs}; times ≥ 1; status 100..599; bodyBase64 base64" });
            }

            sim.Add(behaviour);
            return Results.Created("/control/behaviours", behaviour);
        });
        control.MapDelete("/behaviours", (SimulatorControl sim) =>
        {
            sim.Clear();
            return Results.NoContent();
        });
        control.MapGet("/messages", (SimulatorControl sim) => Results.Ok(sim.Received()));
        control.MapDelete("/messages", (SimulatorControl sim) =>
        {
            sim.ClearReceived();
            return Results.NoContent();
        });
        ProviderDesk.Map(control);
    }
}
