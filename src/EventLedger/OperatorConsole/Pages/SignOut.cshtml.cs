using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventLedger.OperatorConsole.Pages;

/// <summary>Signing out is a form post (CSRF-checked), so no link or image elsewhere can sign an operator out.</summary>
public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect(ConsoleOptions.BasePath);

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(ConsoleAccess.Scheme);
        return LocalRedirect(ConsoleOptions.BasePath + "/sign-in");
    }
}
