using EventLedger.Accounts;
using EventLedger.Suv;
using EventLedger.Suv.Messages;

namespace EventLedger.Clients;

/// <summary>
/// Originators authenticate with HTTP Basic on every SUV call. Whether the user matches the
/// message's <c>client.id</c> is checked by each endpoint after validation (400
/// AUTHENTICATION_ERROR), as the protocol orders it.
/// </summary>
public static class OriginatorAuthentication
{
    public const string SuvBasePath = SuvHttp.BasePath;

    public static IApplicationBuilder UseOriginatorAuthentication(this IApplicationBuilder app) =>
        app.UseBasicAuthentication<OriginatorClient>(SuvBasePath, "EventLedger");

    public static OriginatorClient Originator(this HttpContext context) => context.Account<OriginatorClient>();

    /// <summary>The protocol's rule that an authenticated user may only send messages as itself.</summary>
    public static ErrorDetail? MismatchedClient(this HttpContext context, Institution? client, string? messageId) =>
        client?.Id == context.Originator().Id
            ? null
            : ErrorDetail.Of(ErrorTypes.AuthenticationError, "client.id does not match the authenticated user", messageId);
}
