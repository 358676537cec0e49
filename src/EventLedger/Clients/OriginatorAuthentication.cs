using EventLedger.Suv;
using EventLedger.Suv.Messages;

namespace EventLedger.Clients;

/// <summary>
/// HTTP Basic for every SUV call: an unknown user or a wrong password is 401 with an ErrorDetail.
/// Whether the user matches the message's <c>client.id</c> is checked by each endpoint after
/// validation (400 AUTHENTICATION_ERROR), as the protocol orders it.
/// </summary>
public static class OriginatorAuthentication
{
    public const string SuvBasePath = "/suv/v1";
    private const string ItemKey = "EventLedger.Originator";

    public static IApplicationBuilder UseOriginatorAuthentication(this IApplicationBuilder app) =>
        app.UseWhen(c => c.Request.Path.StartsWithSegments(SuvBasePath), branch => branch.Use(Authenticate));

    /// <summary>The authenticated originator; only endpoints under the SUV base path may ask.</summary>
    public static OriginatorClient Originator(this HttpContext context) =>
        context.Items[ItemKey] as OriginatorClient
        ?? throw new InvalidOperationException("no authenticated originator: the endpoint is outside " + SuvBasePath);

    /// <summary>The protocol's rule that an authenticated user may only send messages as itself.</summary>
    public static ErrorDetail? MismatchedClient(this HttpContext context, Institution? client, string? messageId) =>
        client?.Id == context.Originator().Id
            ? null
            : ErrorDetail.Of(ErrorTypes.AuthenticationError, "client.id does not match the authenticated user", messageId);

    private static async Task Authenticate(HttpContext context, RequestDelegate next)
    {
        var directory = context.RequestServices.GetRequiredService<OriginatorDirectory>();
        var credentials = BasicCredentials.From(context.Request);
        var client = credentials is { } c ? directory.Authenticate(c.User, c.Password) : null;
        if (client is null)
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"EventLedger\", charset=\"UTF-8\"";
            await SuvHttp.Error(401, ErrorDetail.Of(ErrorTypes.AuthenticationError, "Unknown user or wrong password", Guid.NewGuid().ToString()))
                .ExecuteAsync(context);
            return;
        }

        context.Items[ItemKey] = client;
        await next(context);
    }
}
