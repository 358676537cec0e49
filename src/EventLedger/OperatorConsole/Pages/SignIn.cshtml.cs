using EventLedger.Accounts;
using EventLedger.Operations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventLedger.OperatorConsole.Pages;

public sealed class SignInModel(AccountDirectory<OperatorAccount> accounts, SignInThrottle throttle, TimeProvider time, ILogger<SignInModel> logger)
    : PageModel
{
    public string? Refusal { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(Name = "user")]
    public new string? User { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var address = HttpContext.Connection.RemoteIpAddress?.ToString();
        var result = ConsoleAccess.SignIn(User, Password, address, accounts, throttle, time.GetUtcNow());
        if (result.Principal is null)
        {
            logger.LogWarning("Console sign-in refused for {User} from {Address}: {Reason}", Shown(User), address, result.Refusal);
            Refusal = result.Refusal;
            Response.StatusCode = result.Status;
            return Page();
        }

        await HttpContext.SignInAsync(ConsoleAccess.Scheme, result.Principal);
        logger.LogInformation("Operator {OperatorId} signed in to the console from {Address}", result.Principal.OperatorId(), address);
        // Back only to a console page: never to another site a crafted link names.
        return LocalRedirect(ReturnUrl is { } back && Url.IsLocalUrl(back) && back.StartsWith(ConsoleOptions.BasePath, StringComparison.Ordinal)
            ? back
            : ConsoleOptions.BasePath);
    }

    /// <summary>A user name as the log shows it: bounded, one line (it is whatever was typed).</summary>
    private static string Shown(string? user) =>
        user is null ? "" : new string([.. user.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
}
