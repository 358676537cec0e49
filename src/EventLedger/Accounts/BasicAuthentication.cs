using EventLedger.Suv;
using EventLedger.Suv.Messages;

namespace EventLedger.Accounts;

/// <summary>
/// HTTP Basic for a path prefix: an unknown user or a wrong password is 401 with an ErrorDetail;
/// the proven account is kept for the endpoint.
/// </summary>
public static class BasicAuthentication
{
    public static IApplicationBuilder UseBasicAuthentication<TAccount>(this IApplicationBuilder app, string pathPrefix, string realm)
        where TAccount : class, IAccount =>
        app.UseWhen(c => c.Request.Path.StartsWithSegments(pathPrefix), branch => branch.Use(async (context, next) =>
        {
            var directory = context.RequestServices.GetRequiredService<AccountDirectory<TAccount>>();
            var credentials = BasicCredentials.From(context.Request);
            var account = credentials is { } c ? directory.Authenticate(c.User, c.Password) : null;
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

    /// <summary>The account proven for this request; only endpoints under the authenticated prefix may ask.</summary>
    public static TAccount Account<TAccount>(this HttpContext context) where TAccount : class, IAccount =>
        context.Items[typeof(TAccount)] as TAccount
        ?? throw new InvalidOperationException($"no authenticated {typeof(TAccount).Name}: the endpoint is outside its authenticated path");
}
