using EventLedger.Suv;
using EventLedger.Suv.Messages;

namespace EventLedger.Accounts;

/// <summary>
/// HTTP Basic for a path prefix: an unknown user or a wrong password is 401 with an ErrorDetail,
/// and too many of them 429 (<see cref="SignInThrottle"/>); the proven account is kept for the endpoint.
/// </summary>
public static class BasicAuthentication
{
    public static IApplicationBuilder UseBasicAuthentication<TAccount>(this IApplicationBuilder app, string pathPrefix, string realm)
        where TAccount : class, IAccount =>
        app.UseWhen(c => c.Request.Path.StartsWithSegments(pathPrefix), branch => branch.Use(async (context, next) =>
        {
            var directory = context.RequestServices.GetRequiredService<AccountDirectory<TAccount>>();
            var throttle = context.RequestServices.GetRequiredService<SignInThrottle>();
            var address = context.Connection.RemoteIpAddress?.ToString();
            var credentials = BasicCredentials.From(context.Request);
            TAccount? account = null;
            if (credentials is { } c)
            {
                // A password proven before from this address runs no hash, so the budgets that guard
                // the hash (the account's, the address's) do not hold it back: guessing elsewhere,
                // or many tills behind one proxy, cannot lock out a till already signed in. Only
                // guessing from its own address can, and a right guess there is then answered like
                // a wrong one.
                account = directory.Remembered(c.User, c.Password, address);
                if (account is null ? throttle.IsThrottled(realm, c.User, address) || !throttle.TryCheck(realm, c.User, address)
                        : throttle.IsThrottledFromAddress(realm, c.User, address))
                {
                    await TooManyAsync(context);
                    return;
                }

                account ??= directory.Authenticate(c.User, c.Password, address);
            }

            if (account is null)
            {
                context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{realm}\", charset=\"UTF-8\"";
                await SuvHttp.Error(401, ErrorDetail.Of(ErrorTypes.AuthenticationError, "Unknown user or wrong password", Guid.NewGuid().ToString()))
                    .ExecuteAsync(context);
                return;
            }

            context.Items[typeof(TAccount)] = account;
            await next(context);
        }));

    private static Task TooManyAsync(HttpContext context)
    {
        context.Response.Headers.RetryAfter = ((int)(SignInThrottle.Window.TotalSeconds / 6)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return SuvHttp.Error(429, ErrorDetail.Of(ErrorTypes.AuthenticationError, "Too many sign-ins; try again later", Guid.NewGuid().ToString()))
            .ExecuteAsync(context);
    }

    /// <summary>The account proven for this request; only endpoints under the authenticated prefix may ask.</summary>
    public static TAccount Account<TAccount>(this HttpContext context) where TAccount : class, IAccount =>
        context.Items[typeof(TAccount)] as TAccount
        ?? throw new InvalidOperationException($"no authenticated {typeof(TAccount).Name}: the endpoint is outside its authenticated path");
}
