using System.Text;
using System.Text.Json.Nodes;
using EventLedger.Suv;
using EventLedger.Tests.Infrastructure;

namespace EventLedger.Tests.Hostile;

/// <summary>The hand-written hostile inputs, endpoint by endpoint: what a careless or malicious client sends.</summary>
public static class HandWrittenCorpus
{
    public const string Redemptions = "/suv/v1/redemptions";
    public const string Confirmations = "/suv/v1/redemptions/confirmations";
    public const string Reversals = "/suv/v1/redemptions/reversals";

    public static IEnumerable<Probe> All() => [.. SuvMessages(), .. Fields(), .. Lookups(), .. Operations()];

    /// <summary>A valid redemption of a voucher no provider issues: accepted by validation, refused at routing, nothing written.</summary>
    public static JsonObject Redemption() => JsonNode.Parse(SuvJson.Serialize(Messages.Redemption("9999000011112222")))!.AsObject();

    /// <summary>Malformed bodies, foreign content types, bad credentials and wrong methods on each SUV message endpoint.</summary>
    private static IEnumerable<Probe> SuvMessages()
    {
        var valid = Redemption().ToJsonString();
        foreach (var path in new[] { Redemptions, Confirmations, Reversals })
        {
            foreach (var body in new[]
                     {
                         "", "{", "[]", "null", "123", "\"x\"", "{\"id\":", valid[..(valid.Length / 2)], "{\"id\":\"\\ud800\"}", "{\"id\":\"\\udc00x\"}", valid[..^1] + ",\"x\":\"\\ud800\"}", valid[..^1] + ",\"\\ud800\":1}",
                         "{\"id\":\"a\",\"id\":\"b\"}", "{\"id\":\"" + Guid.NewGuid() + "\"," + valid[1..], "{\"id\":123}", "{\"amounts\":\"x\"}", "{\"voucher\":null,\"id\":null}",
                         string.Concat(Enumerable.Repeat("{\"a\":", 500)) + "1" + new string('}', 500), "{\"id\":\"" + new string('x', 5_000) + "\"}",
                     })
            {
                yield return Probe.Json(path, body);
            }

            yield return new Probe("POST", path, [0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
            yield return new Probe("POST", path, Encoding.UTF8.GetBytes("{\"id\":\"" + new string('x', 70_000) + "\"}"));
            yield return Probe.Json(path, valid, "text/plain");
            yield return Probe.Json(path, valid, "application/xml");
            yield return Probe.Json(path, valid, "application/json; charset=latin1");
            yield return Probe.Json(path, valid, "multipart/form-data; boundary=x");
            yield return Probe.Json(path, valid) with { Authorization = null };
            yield return Probe.Json(path, valid) with { Authorization = "Basic !!!" };
            yield return Probe.Json(path, valid) with { Authorization = "Basic " + Convert.ToBase64String("nocolon"u8.ToArray()) };
            yield return Probe.Json(path, valid) with { Authorization = "Bearer abc" };
            yield return Probe.Json(path, valid) with { Authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(new string('u', 5_000) + ":x")) };
            foreach (var method in new[] { "PUT", "DELETE", "PATCH" })
            {
                yield return new Probe(method, path, Encoding.UTF8.GetBytes(valid));
            }
        }
    }

    /// <summary>Valid messages but for one field: patterned fields, amounts out of range, times that are valid but route nowhere.</summary>
    private static IEnumerable<Probe> Fields()
    {
        // A valid message for a voucher that routes, but for one patterned field: the anchored patterns
        // must refuse every one as a FORMAT_ERROR (one let through would reach the provider and be recorded).
        foreach (var (field, value) in new (string, string)[]
                 {
                     ("amounts.requestAmount.currency", "710\n"), ("amounts.requestAmount.currency", "710 "), ("amounts.requestAmount.currency", "\u0667\u0661\u0660"),
                     ("id", Guid.NewGuid() + "\n"), ("time", "2026-11-25T10:03:03.504Z\n"), ("time", "2026-02-30T10:00:00Z"),
                     ("originator.merchant.merchantType", "4444\n"),
                 })
        {
            var message = JsonNode.Parse(SuvJson.Serialize(Messages.Redemption("4444000000000000")))!.AsObject();
            Set(message, field, JsonValue.Create(value));
            yield return Probe.Json(Redemptions, message.ToJsonString()) with { ExpectedErrorType = "FORMAT_ERROR" };
        }

        foreach (var amount in new[] { "9223372036854775808", "-9223372036854775809", "1e400", "-1", "0.5", "\"10\\n\"" })
        {
            yield return Probe.Json(Redemptions, Redemption().ToJsonString().Replace("10000", amount, StringComparison.Ordinal));
        }

        foreach (var (field, value) in new[] { ("time", "0001-01-01T00:00:00Z"), ("time", "9999-12-31T23:59:59.999Z"), ("time", "2026-11-25T10:03:03.504+14:00") })
        {
            var message = Redemption();
            Set(message, field, JsonValue.Create(value));
            yield return Probe.Json(Redemptions, message.ToJsonString()); // valid times: refused at routing, nothing written
        }
    }

    /// <summary>Lookups with hostile ids and queries, and paths that are not the switch's.</summary>
    private static IEnumerable<Probe> Lookups()
    {
        foreach (var id in new[] { "not-a-uuid", Guid.NewGuid() + "%0A", "..%2F..%2Fetc%2Fpasswd", "%2e%2e", Guid.NewGuid() + "/", "x%01y", new string('a', 3_000) })
        {
            yield return new Probe("GET", $"{Redemptions}/{id}", ContentType: null);
        }

        foreach (var query in new[]
                 {
                     "", "voucherCode=", "voucherCode=" + new string('1', 100), "provisionRequestId=x", "provisionRequestId=" + Guid.NewGuid() + "%0A",
                     "voucherSerialNumber=" + new string('s', 100), "receiverInstId=" + new string('r', 500) + "&voucherCode=1",
                 })
        {
            yield return new Probe("GET", "/suv/v1/vouchers?" + query, ContentType: null);
        }

        foreach (var path in new[] { "/suv/v1/nothing", "/suv/v1/redemptions/x/y/z", "/suv/v1//redemptions", "/suv/v1/redemptions%2Fconfirmations" })
        {
            yield return new Probe("GET", path, ContentType: null);
            yield return Probe.Json(path, "{}");
        }
    }

    /// <summary>The operations API: queries, days, settlement files, voucher search, advices, nodes.</summary>
    private static IEnumerable<Probe> Operations()
    {
        foreach (var query in new[]
                 {
                     "from=garbage", "to=2026-13-45T00:00:00Z", "from=2026-11-25T00:00:00Z&to=2026-11-24T00:00:00Z", "limit=-1", "limit=0",
                     "limit=99999999999", "offset=-5", "offset=100000000", "status=Bogus", "status=%00", "client=%00", "merchant=a%00b",
                     "terminal=%01", "provider=%00", "upstreamRequestId=%00",
                 })
        {
            yield return new Probe("GET", "/ops/v1/transactions?" + query, ContentType: null, Authorization: "ops");
        }

        // (A NUL in a path never reaches the switch: Kestrel refuses it, and the in-process test server cannot send it.)
        foreach (var day in new[] { "9999-12-31", "0001-01-01", "2026-02-30", "today", "2026-1-1", "%01", "2026-11-25%0A" })
        {
            yield return new Probe("GET", $"/ops/v1/finance/days/{day}", ContentType: null, Authorization: "ops");
            yield return new Probe("POST", $"/ops/v1/finance/days/{day}/close", ContentType: null, Authorization: "ops");
            yield return new Probe("POST", $"/ops/v1/finance/days/{day}/settlements/44444444", Encoding.UTF8.GetBytes("requestId\nx"), "text/csv", "ops");
        }

        foreach (var csv in new[]
                 {
                     "", "requestId,amountMinor\nx,notanumber", "requestId,providerReference,amountMinor,currency,status\nx,,9223372036854775808,710,REDEEMED",
                     "requestId,providerReference,amountMinor,currency,status\nx,,-1,710,REDEEMED", "requestId,providerReference,amountMinor,currency,status\nx,,1,710\n,REDEEMED",
                     "requestId,providerReference,amountMinor,currency,status\n,,1,710,REDEEMED", "\"unterminated", "requestId,providerReference,amountMinor,currency,status\nx,,1,710,MAYBE",
                 })
        {
            yield return new Probe("POST", "/ops/v1/finance/days/2026-11-25/settlements/44444444", Encoding.UTF8.GetBytes(csv), "text/csv", "ops");
        }

        foreach (var body in new[] { "", "{", "[]", "{\"voucherCode\":null}", "{\"voucherCode\":123}", "{\"voucherCode\":\"\\ud800\"}", "{\"voucherCode\":\"" + new string('1', 5_000) + "\"}" })
        {
            yield return new Probe("POST", "/ops/v1/vouchers/search", Encoding.UTF8.GetBytes(body), "application/json", "ops");
        }

        foreach (var probe in new[]
                 {
                     new Probe("GET", "/ops/v1/advices?status=Bogus", ContentType: null, Authorization: "ops"),
                     new Probe("GET", "/ops/v1/advices?provider=%00", ContentType: null, Authorization: "ops"),
                     new Probe("GET", "/ops/v1/advices?limit=-3", ContentType: null, Authorization: "ops"),
                     new Probe("POST", "/ops/v1/advices/nothing-here/retry", ContentType: null, Authorization: "ops"),
                     new Probe("POST", "/ops/v1/advices/" + new string('x', 2_000) + "/resend", ContentType: null, Authorization: "ops"),
                     new Probe("GET", "/ops/v1/transactions/x/y", ContentType: null, Authorization: "ops"),
                     new Probe("GET", "/ops/v1/nothing", ContentType: null, Authorization: "ops"),
                     new Probe("DELETE", "/ops/v1/nodes", ContentType: null, Authorization: "ops"),
                     new Probe("GET", "/ops/v1/nodes", ContentType: null, Authorization: "client"),
                     new Probe("GET", "/ops/v1/nodes", ContentType: null, Authorization: null),
                 })
        {
            yield return probe;
        }
    }

    /// <summary>Sets the value at a dotted path (array indexes as numbers), creating nothing: the path exists in the message.</summary>
    public static void Set(JsonObject message, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        JsonNode node = message;
        foreach (var part in parts[..^1])
        {
            node = int.TryParse(part, out var index) ? node[index]! : node[part]!;
        }

        if (int.TryParse(parts[^1], out var last))
        {
            node[last] = value;
        }
        else
        {
            node[parts[^1]] = value;
        }
    }
}
