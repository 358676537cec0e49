using EventLedger.Suv.Messages;

namespace EventLedger.Redemptions;

/// <summary>What an originator is answered, as a decision states it: a status and the exact JSON body sent (and replayed by lookups).</summary>
public sealed record OriginatorAnswer(int Status, string Json)
{
    public IResult ToResult() => Results.Text(Json, "application/json", System.Text.Encoding.UTF8, Status);

    public static OriginatorAnswer Error(int status, ErrorDetail error) => new(status, Suv.SuvJson.Serialize(error));
}
