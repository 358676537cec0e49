namespace EventLedger.ApiReference;

/// <summary>How the API reference describes one operation: its group, words and the answers it can give.</summary>
/// <param name="Answers">Every status the operation can answer, with what it means here.</param>
/// <param name="RequestExample">An example message under ApiReference/Examples, for operations that read one.</param>
/// <param name="AnswerExamples">Example messages by status.</param>
/// <param name="Bodiless">Statuses answered with no body at all.</param>
public sealed record ApiOperation(
    string Id, string Group, string Summary, string Description, IReadOnlyDictionary<int, string> Answers,
    string? RequestExample = null, IReadOnlyDictionary<int, string>? AnswerExamples = null, IReadOnlySet<int>? Bodiless = null);

/// <summary>
/// The words of the API reference, by operation id. The SUV operations' summaries and descriptions
/// are Electrum's, from the published contract, followed by what this switch does; docs/protocol.md
/// has the full rules.
/// </summary>
public static class ApiCatalog
{
    public const string Suv = "SUV";
    public const string Operations = "Operations";
    public const string Finance = "Finance";

    public static readonly IReadOnlyDictionary<string, string> Groups = new Dictionary<string, string>
    {
        [Suv] = "Electrum's Single Use Voucher interface, as tills and sales channels call it (base path /suv/v1). HTTP Basic with an originator's credentials; errors are SUV ErrorDetail messages.",
        [Operations] = "For switch operators: advices on their way to providers, the audit of transactions and vouchers, the switch's nodes. HTTP Basic with an operator account; errors are RFC 9457 problem documents.",
        [Finance] = "For finance: a business day's totals, closing a day, matching a provider's settlement file. HTTP Basic with an operator account.",
    };

    private const string Unauthenticated = "No credentials, an unknown user or a wrong password (AUTHENTICATION_ERROR)";
    private const string Throttled = "Too many failed sign-ins for this account or from this address: try again later";
    private const string DatabaseAway = "The ledger database is unavailable: nothing was recorded; resend (Retry-After: 1)";
    private const string NotJson = "The body is not application/json in UTF-8";
    private const string TooLarge = "The body exceeds 64 KiB";
    private const string OpsUnauthenticated = "No credentials, an unknown operator or a wrong password";
    private const string OpsDatabaseAway = "The ledger database is unavailable; try again (Retry-After: 1)";

    public static readonly IReadOnlyList<ApiOperation> All =
    [
        new("lookupVoucher", Suv, "Lookup a voucher using the voucher code.",
            "This operation is used to verify the validity of a voucher and possibly establish the value of a previously issued voucher (if supported by the server). This operation has no financial impact and is informative only.\n\n"
            + "The switch forwards the query to the provider that issued the voucher (named by receiverInstId, else the one owning the longest configured prefix of the code) and answers as the provider answered. The lookup is recorded with the code masked and hashed, never in the clear.",
            new Dictionary<int, string>
            {
                [200] = "The provider's VoucherLookupResponse",
                [400] = "The query is malformed (FORMAT_ERROR), no provider issues such vouchers (ROUTING_ERROR), or the provider declined",
                [401] = Unauthenticated,
                [429] = Throttled,
                [404] = "The provider does not know the voucher (UNABLE_TO_LOCATE_RECORD); any other 4xx of the provider with an ErrorDetail is passed on likewise",
                [500] = "The provider's own 5xx with an ErrorDetail, passed on with its status (500 stands for any of them)",
                [503] = "The provider could not be reached or turned the switch away (UPSTREAM_UNAVAILABLE), or: " + DatabaseAway,
                [504] = "The provider did not answer in time, or answered something that is not a SUV message (UPSTREAM_UNAVAILABLE)",
            },
            AnswerExamples: new Dictionary<int, string> { [404] = "ErrorDetail.json" }),
        new("redeemVoucher", Suv, "Redeems a voucher.",
            "This operation is performed when a voucher is used as a form of tender. When used as a form of tender the consumer redeems the requestAmount against the voucher. The voucher vendor is responsible for authorizing the redemption. Once redeemed, the voucher may not be used as a form of tender again.\n\n"
            + "The switch records the request, forwards it to the issuing provider under its own id for it, records the outcome and answers. An id this client used before is a DUPLICATE_RECORD, whatever the body: read the first outcome with lookupRedemption. After a 504, reverse the redemption (reverseRedeem); the switch also reverses it upstream by itself.",
            new Dictionary<int, string>
            {
                [201] = "Redeemed: the provider's RedemptionResponse, with the voucher's code and PIN removed or masked",
                [400] = "Malformed (FORMAT_ERROR), client.id is not the caller (AUTHENTICATION_ERROR), no provider (ROUTING_ERROR), the id was used before (DUPLICATE_RECORD), reversed before it arrived (REDEMPTION_ALREADY_REVERSED), or the provider's own decline with its errorType",
                [401] = Unauthenticated,
                [429] = Throttled,
                [404] = "The provider does not know the voucher (UNABLE_TO_LOCATE_RECORD); any other 4xx of the provider is passed on likewise",
                [413] = TooLarge,
                [415] = NotJson,
                [503] = "Not sent: the provider could not be reached or turned the switch away (UPSTREAM_UNAVAILABLE, final, nothing to reverse), or: " + DatabaseAway,
                [504] = "The outcome is unknown: the provider did not answer in time or failed (UPSTREAM_UNAVAILABLE); reverse it",
            },
            "RedemptionRequest.json", new Dictionary<int, string> { [201] = "RedemptionResponse.json", [400] = "ErrorDetail.json" }),
        new("confirmRedeem", Suv, "Confirm a voucher redemption request that completed successfully.",
            "By performing this operation the client indicates that no subsequent reversal of the redemption will be performed. Note though that the successful completion of the confirmRedemption operation does not guarantee that the voucher will not be refunded in future.\n\n"
            + "The switch answers at once from its ledger and delivers the confirmation to the provider by store-and-forward until the provider gives a final answer. Repeats are answered as the first time.",
            new Dictionary<int, string>
            {
                [202] = "Confirmed (or confirmed before): the advice, echoed",
                [400] = "Malformed (FORMAT_ERROR), or the redemption cannot be confirmed: VOUCHER_NOT_REDEEMED, REDEMPTION_ALREADY_REVERSED",
                [401] = Unauthenticated,
                [429] = Throttled,
                [404] = "No such redemption of this client (UNABLE_TO_LOCATE_RECORD)",
                [413] = TooLarge,
                [415] = NotJson,
                [503] = "The redemption still awaits its provider's answer, nothing was recorded: resend; or: " + DatabaseAway,
            },
            "BasicAdvice.json", new Dictionary<int, string> { [202] = "BasicAdvice.json" }),
        new("reverseRedeem", Suv, "Reverse a voucher redemption request.",
            "If a voucherRedemption request fails with one of the 5xx HTTP statuses code, or no response was received within the timeout period, it must be reversed to ensure the vendor does not consider the voucher to be in redeemed state. reverseRedemption must be repeated until a final HTTP status code is received (i.e. not 5xx). reverseRedemption may be called repeatedly on the same voucher resource without negative effect.\n\n"
            + "The switch answers at once from its ledger and delivers the reversal to the provider by store-and-forward. A reversal that arrives before its request is remembered, and the late request refused.",
            new Dictionary<int, string>
            {
                [202] = "Reversed (or reversed before, or nothing to reverse): the advice, echoed",
                [400] = "Malformed (FORMAT_ERROR), or the redemption was confirmed (REDEMPTION_ALREADY_CONFIRMED)",
                [401] = Unauthenticated,
                [429] = Throttled,
                [404] = "No such redemption of this client (UNABLE_TO_LOCATE_RECORD); a late request is then refused",
                [413] = TooLarge,
                [415] = NotJson,
                [503] = DatabaseAway,
            },
            "BasicReversal.json", new Dictionary<int, string> { [202] = "BasicReversal.json" }),
        new("lookupRedemption", Suv, "Looks up and returns the outcome of a prior voucher redemption.",
            "This operation may be used to obtain the result of a previous redemption request. It returns the original approved response, the original error response, a status saying the original request is still being processed, a HTTP status code of 403 if the client did not submit the original request, or a HTTP status code of 404 if the original request was not received.\n\n"
            + "The switch answers only once the redemption has settled: its outcome final (for an unknown outcome, the switch's own reversal answered), applied to the view lookups read, and the processing period (Lookups:ProcessingPeriodMs, 10 s) passed since. Until then it answers 202 with Retry-After (the contract's 102 cannot be sent as a final HTTP answer; docs/protocol.md).",
            new Dictionary<int, string>
            {
                [200] = "The original approved RedemptionResponse",
                [202] = "Still processing: not settled yet; ask again after Retry-After (no body)",
                [400] = "The request id is not a UUID (FORMAT_ERROR), or the original answer was a 400, replayed",
                [401] = Unauthenticated,
                [429] = Throttled,
                [403] = "Another client sent that request",
                [404] = "No such request was received (UNABLE_TO_LOCATE_RECORD)",
                [503] = DatabaseAway,
                [504] = "The original answer was 504: the outcome stayed unknown and the redemption was reversed",
            },
            AnswerExamples: new Dictionary<int, string> { [200] = "RedemptionResponse.json" }, Bodiless: new HashSet<int> { 202 }),
        new("listAdvices", Operations, "List advices by delivery status.",
            "Advice deliveries (confirmations and reversals) to providers, oldest first: status Pending (default), Acknowledged or Refused; provider to filter; limit 1..500 (default 50). Each shows its age, attempts, last status and last error.",
            new Dictionary<int, string> { [200] = "The deliveries", [400] = "A bad status or limit", [401] = OpsUnauthenticated, [429] = Throttled, [503] = OpsDatabaseAway }),
        new("retryAdvice", Operations, "Try a pending advice now.",
            "Delivers a pending advice now rather than at its scheduled retry. Recorded in the redemption's timeline with the operator's id.",
            new Dictionary<int, string> { [202] = "Queued now", [401] = OpsUnauthenticated, [429] = Throttled, [503] = OpsDatabaseAway, [404] = "No such advice", [409] = "The advice is not pending, or an attempt is being made right now" }),
        new("resendAdvice", Operations, "Send a refused advice again.",
            "Sends again an advice the provider refused, once the cause is settled with the provider. Recorded in the redemption's timeline with the operator's id.",
            new Dictionary<int, string> { [202] = "Queued again", [401] = OpsUnauthenticated, [429] = Throttled, [503] = OpsDatabaseAway, [404] = "No such advice", [409] = "The advice was not refused, or an attempt is being made right now" }),
        new("searchTransactions", Operations, "Search transactions.",
            "Redemptions by time received, newest first: from and to (RFC 3339, default the last 24 hours), client, provider, merchant, terminal, status (Open, Approved, Confirmed, Reversed, Declined, NotSent, Unknown, ReversedBeforeRequest), upstreamRequestId; limit 1..500 (default 50), offset 0..100000. Voucher codes only masked.",
            new Dictionary<int, string> { [200] = "The page of redemptions", [400] = "A bad filter, time range or page", [401] = OpsUnauthenticated, [429] = Throttled, [503] = OpsDatabaseAway }),
        new("transactionTimeline", Operations, "A transaction's timeline.",
            "Every event of one redemption in order, with its time, type and data (codes masked), its current view, and every advice delivery with its attempts and last error.",
            new Dictionary<int, string> { [200] = "The timeline", [401] = OpsUnauthenticated, [429] = Throttled, [503] = OpsDatabaseAway, [404] = "No such transaction" }),
        new("searchVoucher", Operations, "Every use of one voucher.",
            "Every redemption and lookup of a voucher, found through its keyed hash; the body is {\"voucherCode\": \"…\"}, so that the code never travels in a URL.",
            new Dictionary<int, string> { [200] = "The voucher's redemptions and lookups", [400] = "The body is not {\"voucherCode\": \"…\"}", [401] = OpsUnauthenticated, [429] = Throttled, [503] = OpsDatabaseAway }),
        new("listNodes", Operations, "The switch's nodes.",
            "Every node that has run against this ledger, with its last heartbeat.",
            new Dictionary<int, string> { [200] = "The nodes", [401] = OpsUnauthenticated, [429] = Throttled, [503] = OpsDatabaseAway }),
        new("dayTotals", Finance, "A business day's totals.",
            "One row per provider, merchant and currency: counts and amounts (minor units) approved, confirmed, reversed, declined, unknown, open and never sent, and the net amount. JSON, or CSV with ?format=csv or Accept: text/csv. A closed day shows its frozen totals and whether anything changed since.",
            new Dictionary<int, string> { [200] = "The day's report", [400] = "The day is not yyyy-MM-dd (2000-01-01..9998-12-31)", [401] = OpsUnauthenticated, [429] = Throttled, [503] = OpsDatabaseAway, [409] = "The day has ended and the view still trails the ledger: try again in a few seconds" }),
        new("closeDay", Finance, "Close a business day.",
            "Freezes the day's totals and the hash of every event they were computed from, once the day has ended and one more minute has passed; once. Recorded with the operator's id.",
            new Dictionary<int, string> { [201] = "Closed: the frozen record", [400] = "The day is not yyyy-MM-dd", [401] = OpsUnauthenticated, [429] = Throttled, [503] = OpsDatabaseAway, [409] = "Not ended yet, already closed, or the view still trails the ledger" }),
        new("matchSettlement", Finance, "Match a provider's settlement file.",
            "The body is the provider's CSV for the day (requestId,providerReference,amountMinor,currency,status; at most 20 MiB). Every line and every standing redemption of that provider and day lands in one row: Matched or a break (MissingAtSwitch, MissingAtProvider, AmountMismatch, StateMismatch, ReferenceMismatch, Duplicate, Ambiguous). JSON, or CSV with ?format=csv.",
            new Dictionary<int, string> { [200] = "The report", [400] = "A malformed file (the first bad line is named), a body past the limit sent without Content-Length, or a bad day", [401] = OpsUnauthenticated, [429] = Throttled, [503] = OpsDatabaseAway, [409] = "The view still trails the ledger", [413] = "The Content-Length exceeds the limit", [422] = "The provider's day exceeds Finance:MaxRedemptionsPerDay" }),
    ];

    public static ApiOperation? Find(string? operationId) => All.FirstOrDefault(o => o.Id == operationId);
}
