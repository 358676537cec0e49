using EventLedger.Operations;
using EventLedger.Redemptions;
using EventLedger.Security;
using Marten;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventLedger.OperatorConsole.Pages;

/// <summary>
/// The search is a form post, not a link: a voucher code typed here must not land in a URL that
/// browsers, proxies and access logs keep. The filters and the window are checked by the same
/// <see cref="TransactionQuery"/> as the API's.
/// </summary>
public sealed class TransactionsModel(IDocumentStore store, VoucherCodes codes, TimeProvider time) : PageModel
{
    public static readonly string[] Fields = ["from", "to", "client", "provider", "merchant", "status", "requestId"];

    public Dictionary<string, string> Form { get; } = Fields.ToDictionary(f => f, _ => "");

    public string VoucherCode { get; private set; } = "";

    public TransactionQuery? Query { get; private set; }

    public IReadOnlyList<RedemptionView> Results { get; private set; } = [];

    public string? Error { get; private set; }

    public Task OnGetAsync() => SearchAsync(_ => "");

    public Task OnPostAsync() => SearchAsync(name => Request.Form[name].ToString());

    private async Task SearchAsync(Func<string, string> field)
    {
        foreach (var name in Fields)
        {
            Form[name] = field(name);
        }

        VoucherCode = field("voucherCode").Trim();
        if (VoucherCode.Length > 40 || Suv.SuvReader.HasControlCharacter(VoucherCode))
        {
            Error = "A voucher code is at most 40 characters.";
            VoucherCode = "";
            return;
        }

        var (query, error) = TransactionQuery.Parse(name => name is "limit" ? "" : field(name), time.GetUtcNow(),
            VoucherCode.Length > 0 ? codes.Hash(VoucherCode) : null);
        Error = error;
        Query = query;
        if (query is not null)
        {
            await using var session = store.QuerySession();
            Results = await Audit.SearchAsync(session, query, HttpContext.RequestAborted);
        }
    }
}
