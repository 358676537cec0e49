using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using EventLedger.Suv;
using EventLedger.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace EventLedger.Tests.Hostile;

/// <summary>A switch of its own: nothing else writes to its ledger while the corpus runs, so "nothing appended" is exact.</summary>
[CollectionDefinition(Name)]
public sealed class HostileGroup : ICollectionFixture<SwitchFixture>
{
    public const string Name = "hostile";
}

/// <summary>One request as a hostile client sends it.</summary>
/// <param name="ExpectedErrorType">When set, the SUV error type the answer must carry (not just any 4xx).</param>
public sealed record Probe(
    string Method, string Path, byte[]? Body = null, string? ContentType = "application/json", string? Authorization = "client", string? ExpectedErrorType = null)
{
    public static Probe Json(string path, string body, string? contentType = "application/json") => new("POST", path, Encoding.UTF8.GetBytes(body), contentType);

    public override string ToString() =>
        $"{Method} {Path} [{ContentType}] {(Body is null ? "" : Encoding.UTF8.GetString(Body[..Math.Min(Body.Length, 120)]))}";
}

/// <summary>
/// Hostile input against every endpoint: every answer is a 4xx ErrorDetail (SUV) or problem
/// document (operations), never a 5xx or a stack trace; nothing is appended to any stream; the
/// switch serves normally afterwards.
/// </summary>
[Collection(HostileGroup.Name)]
public sealed class InputCorpusTests(SwitchFixture fixture, ITestOutputHelper output)
{
    private const string Redemptions = "/suv/v1/redemptions";
    private const string Confirmations = "/suv/v1/redemptions/confirmations";
    private const string Reversals = "/suv/v1/redemptions/reversals";

    /// <summary>A valid redemption of a voucher no provider issues: accepted by validation, refused at routing, nothing written.</summary>
    private static JsonObject Redemption() => JsonNode.Parse(SuvJson.Serialize(Messages.Redemption("9999000011112222")))!.AsObject();

    /// <summary>A valid confirmation of a request no one made: 404, nothing written.</summary>
    private static JsonObject Confirmation() => JsonNode.Parse(SuvJson.Serialize(Messages.Confirmation(Guid.NewGuid().ToString())))!.AsObject();

    [Fact]
    public async Task The_hand_written_corpus_gets_error_documents_and_writes_nothing()
    {
        var probes = HandWritten().ToList();

        var (appended, failures) = await PlayAsync(probes);

        output.WriteLine($"{probes.Count} hand-written cases, {failures.Count} wrong answers, {appended} events appended");
        failures.Should().BeEmpty();
        appended.Should().Be(0);
        await ServesNormallyAsync();
    }

    [Fact]
    public async Task Generated_hostile_values_in_every_field_get_error_documents_and_write_nothing()
    {
        var probes = new List<Probe>();
        Gen.Select(Gen.Int[0, RedemptionFields.Length - 1], HostileValue, Gen.Bool).Sample(t =>
        {
            var (field, value, confirmation) = t;
            var message = confirmation ? Confirmation() : Redemption();
            var path = confirmation ? AdviceFields[field % AdviceFields.Length] : RedemptionFields[field];
            Set(message, path, value());
            probes.Add(Probe.Json(confirmation ? Confirmations : Redemptions, message.ToJsonString()));
        }, iter: 400, threads: 1);
        Gen.Select(Gen.Int[0, LookupParameters.Length - 1], HostileText).Sample(t =>
            probes.Add(new Probe("GET", $"/suv/v1/vouchers?{LookupParameters[t.Item1]}={Uri.EscapeDataString(t.Item2)}")), iter: 100, threads: 1);

        var (appended, failures) = await PlayAsync(probes);

        output.WriteLine($"{probes.Count} generated cases, {failures.Count} wrong answers, {appended} events appended");
        failures.Should().BeEmpty();
        appended.Should().Be(0);
        await ServesNormallyAsync();
    }

    private static readonly string[] RedemptionFields =
    [
        "id", "time", "client.id", "originator.institution.id", "originator.terminalId", "originator.merchant.merchantId",
        "originator.merchant.merchantType", "originator.merchant.merchantName.country", "thirdPartyIdentifiers.0.institutionId",
        "thirdPartyIdentifiers.0.transactionIdentifier", "voucher.code", "amounts.requestAmount.amount", "amounts.requestAmount.currency",
        "voucher", "amounts", "thirdPartyIdentifiers",
    ];

    private static readonly string[] AdviceFields = ["id", "requestId", "time", "thirdPartyIdentifiers.0.institutionId", "amounts"];

    private static readonly string[] LookupParameters = ["voucherCode", "provisionRequestId", "receiverInstId", "voucherSerialNumber"];

    /// <summary>Text no patterned field may hold: whitespace and control characters around a valid value, other digits, over-long text.</summary>
    private static readonly Gen<string> HostileText = Gen.OneOf(
        Gen.Const("710\n"), Gen.Const(" 710"), Gen.Const("710 "), Gen.Const("7\u06F10"), Gen.Const("\u0000"), Gen.Const("a\u0007b"),
        Gen.Const("2026-11-25T10:03:03.504Z\n"), Gen.Const("0000-00-00T00:00:00Z"), Gen.Const("9999-12-31T23:59:60Z"),
        Gen.Const(Guid.NewGuid() + "\n"), Gen.Const("\t" + Guid.NewGuid()), Gen.Int[300, 3_000].Select(n => new string('9', n)),
        Gen.Char[(char)0, (char)31].Array[1, 20].Select(chars => new string(chars)));

    /// <summary>Values of the wrong type, nulls, numbers at and past the int64 limits, deep nesting.</summary>
    private static readonly Func<JsonNode?>[] Misfits =
    [
        () => null, () => JsonValue.Create(true), () => new JsonArray(), () => new JsonObject(), () => JsonValue.Create(long.MinValue),
        () => JsonValue.Create(-1), () => JsonValue.Create(0.5), () => JsonNode.Parse("9223372036854775808"), () => JsonNode.Parse("1e400"),
        () => JsonNode.Parse(string.Concat(Enumerable.Repeat("[", 60)) + string.Concat(Enumerable.Repeat("]", 60))),
    ];

    /// <summary>A value for any field: hostile text or a misfit.</summary>
    private static readonly Gen<Func<JsonNode?>> HostileValue = Gen.OneOf(
        HostileText.Select(t => (Func<JsonNode?>)(() => JsonValue.Create(t))),
        Gen.Int[0, Misfits.Length - 1].Select(i => Misfits[i]));

    private static IEnumerable<Probe> HandWritten()
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

    private async Task<(long Appended, List<string> Failures)> PlayAsync(IReadOnlyList<Probe> probes)
    {
        var before = await EventCountAsync();
        var failures = new List<string>();
        using var http = fixture.Host.Server.CreateClient();
        foreach (var probe in probes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(probe.Method), probe.Path);
            if (probe.Body is not null)
            {
                request.Content = new ByteArrayContent(probe.Body);
                request.Content.Headers.ContentType = probe.ContentType is null ? null : MediaTypeHeaderValue.Parse(probe.ContentType);
            }

            if (probe.Authorization is { } authorization)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization switch
                {
                    "client" => Basic(SwitchFixture.ClientId, SwitchFixture.ClientPassword),
                    "ops" => Basic(SwitchFixture.OperatorId, SwitchFixture.OperatorPassword),
                    _ => authorization,
                });
            }

            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (Wrong(probe, response, body) is { } why)
            {
                failures.Add($"{probe} → {(int)response.StatusCode} {body[..Math.Min(body.Length, 200)]}: {why}");
            }
        }

        return (await EventCountAsync() - before, failures);
    }

    /// <summary>Why this answer is not a client error with an error document, or null when it is.</summary>
    private static string? Wrong(Probe probe, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (status is < 400 or >= 500)
        {
            return "not a 4xx";
        }

        if (body.Contains("   at ", StringComparison.Ordinal) || body.Contains("Exception", StringComparison.Ordinal))
        {
            return "a stack trace";
        }

        if (probe.ExpectedErrorType is { } expected && !body.Contains($"\"errorType\":\"{expected}\"", StringComparison.Ordinal))
        {
            return $"not a {expected}";
        }

        var suv = probe.Path.StartsWith("/suv/", StringComparison.Ordinal);
        var type = response.Content.Headers.ContentType?.MediaType;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return suv
                ? type == "application/json" && root.TryGetProperty("errorType", out var errorType) && errorType.GetString() is { Length: > 0 } ? null : "not an ErrorDetail"
                : type == "application/problem+json" && root.TryGetProperty("status", out _) ? null
                : type == "application/json" && root.TryGetProperty("errorType", out _) && status == 401 ? null : "not a problem document";
        }
        catch (JsonException)
        {
            return "not JSON";
        }
    }

    private async Task ServesNormallyAsync()
    {
        using var http = fixture.Host.Server.CreateClient();
        using var ready = await http.GetAsync("/health/ready");
        ready.StatusCode.Should().Be(HttpStatusCode.OK);
        using var client = fixture.Client();
        (await client.RedeemAsync(Messages.Redemption(await fixture.ProvisionVoucherAsync()))).Status.Should().Be(201);
    }

    private async Task<long> EventCountAsync()
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("select count(*) from ledger.mt_events", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    /// <summary>Sets the value at a dotted path (array indexes as numbers), creating nothing: the path exists in the message.</summary>
    private static void Set(JsonObject message, string path, JsonNode? value)
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
