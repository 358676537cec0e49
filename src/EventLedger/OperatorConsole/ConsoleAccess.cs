using System.Security.Claims;
using EventLedger.Accounts;
using EventLedger.Operations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace EventLedger.OperatorConsole;

/// <summary>What came of a sign-in: the operator's session, or why there is none (and the status to answer with).</summary>
public sealed record SignInResult(ClaimsPrincipal? Principal, int Status, string? Refusal);

/// <summary>
/// Who may use the console and for what: operator accounts only (originators live in another
/// directory and are never looked up here), throttled like the API's Basic sign-ins, their roles as
/// claims, checked again against the configuration on every request.
/// </summary>
public static class ConsoleAccess
{
    public const string Scheme = "EventLedger.Console";
    public const string Realm = "EventLedger console";

    /// <summary>Policies: any role reads; the other two act.</summary>
    public const string Viewer = "console-viewer";
    public const string Operator = "console-operator";
    public const string Finance = "console-finance";

    /// <summary>Longest user name or password the form takes; longer ones are refused before any hash runs.</summary>
    public const int MaxCredentialLength = 256;

    public static SignInResult SignIn(
        string? user, string? password, string? address, AccountDirectory<OperatorAccount> accounts, SignInThrottle throttle, DateTimeOffset now)
    {
        if (user is not { Length: > 0 and <= MaxCredentialLength } || password is not { Length: > 0 and <= MaxCredentialLength })
        {
            return new SignInResult(null, 400, "Enter your user name and password.");
        }

        // The same budgets as the API's Basic sign-in, in a realm of their own: a hash is run only within them.
        if (throttle.IsThrottled(Realm, user, address) || !throttle.TryCheck(Realm, user, address))
        {
            return new SignInResult(null, 429, "Too many sign-ins; try again in a minute.");
        }

        return accounts.Authenticate(user, password) is { } account
            ? new SignInResult(Principal(account, now), 200, null)
            : new SignInResult(null, 401, "Unknown user or wrong password.");
    }

    /// <summary>The claim that ties a session to the password it was opened with.</summary>
    private const string PasswordClaim = "eventledger:password";

    /// <summary>
    /// When the session was opened (Unix seconds). A claim, not the ticket's issue time: ASP.NET
    /// moves that forward at every sliding renewal, so it would never show a session's age.
    /// </summary>
    private const string SignedInClaim = "eventledger:signed-in";

    public static ClaimsPrincipal Principal(OperatorAccount account, DateTimeOffset signedIn) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, account.Id),
            new Claim(PasswordClaim, PasswordFingerprint(account)),
            new Claim(SignedInClaim, signedIn.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, account.Name.Length > 0 ? account.Name : account.Id),
            .. account.Roles.Distinct().Select(role => new Claim(ClaimTypes.Role, role.ToString())),
        ], Scheme));

    /// <summary>The operator's id, recorded with every action.</summary>
    public static string OperatorId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("no operator signed in");

    public static bool Can(this ClaimsPrincipal user, OperatorRole role) => user.IsInRole(role.ToString());

    /// <summary>
    /// A session outlives no change to its account: an account removed, whose roles changed, or whose
    /// password was changed since sign-in (a restart with new configuration) is signed out at its next
    /// request; so is any session older than <see cref="ConsoleOptions.SessionHours"/>.
    /// </summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var accounts = services.GetRequiredService<AccountDirectory<OperatorAccount>>();
        var options = services.GetRequiredService<ConsoleOptions>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var id = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var account = id is null ? null : accounts.Find(id);
        var roles = (context.Principal?.FindAll(ClaimTypes.Role) ?? []).Select(c => c.Value).Order(StringComparer.Ordinal);
        var current = account is not null
            && roles.SequenceEqual(account.Roles.Distinct().Select(r => r.ToString()).Order(StringComparer.Ordinal))
            && context.Principal?.FindFirstValue(PasswordClaim) == PasswordFingerprint(account)
            && long.TryParse(context.Principal?.FindFirstValue(SignedInClaim), System.Globalization.CultureInfo.InvariantCulture, out var signedIn)
            && DateTimeOffset.FromUnixTimeSeconds(signedIn) + TimeSpan.FromHours(options.SessionHours) > now;
        if (!current)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }

    /// <summary>A digest of the account's password hash: changes when the password does, and says nothing of it.</summary>
    private static string PasswordFingerprint(OperatorAccount account) =>
        Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(account.PasswordHash)));
}
