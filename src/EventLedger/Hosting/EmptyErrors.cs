using EventLedger.Suv;
using EventLedger.Suv.Messages;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace EventLedger.Hosting;

/// <summary>
/// Error statuses the framework answers with no body (no such route, a method the route does not
/// take): under <c>/suv/v1</c> they get an SUV <c>ErrorDetail</c>, under <c>/ops/v1</c> a problem
/// document, so that a client is never left with an empty answer to parse.
/// </summary>
public static class EmptyErrors
{
    /// <summary>
    /// Refuses, before anything else reads them, query strings and paths under the APIs that hold
    /// a control character: no parameter needs one, and PostgreSQL refuses a NUL (a 500 otherwise).
    /// </summary>
    public static IApplicationBuilder UseControlCharacterGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        var suv = request.Path.StartsWithSegments(ApiPaths.Suv);
        var ops = request.Path.StartsWithSegments(ApiPaths.Operations);
        if ((suv || ops) && (SuvReader.HasControlCharacter(request.Path.Value)
            || request.Query.Any(q => SuvReader.HasControlCharacter(q.Key) || q.Value.Any(SuvReader.HasControlCharacter))))
        {
            const string message = "The path or query string holds a control character";
            await (suv
                ? SuvHttp.Error(400, ErrorDetail.Of(ErrorTypes.FormatError, message, Guid.NewGuid().ToString()))
                : Results.Problem(message, statusCode: 400)).ExecuteAsync(context);
            return;
        }

        await next(context);
    });

    public static async Task WriteAsync(StatusCodeContext status)
    {
        var context = status.HttpContext;
        var code = context.Response.StatusCode;
        if (context.Request.Path.StartsWithSegments(ApiPaths.Suv))
        {
            var type = code == StatusCodes.Status404NotFound ? ErrorTypes.UnableToLocateRecord : ErrorTypes.GeneralError;
            await SuvHttp.Error(code, ErrorDetail.Of(type, ReasonFor(code), Guid.NewGuid().ToString())).ExecuteAsync(context);
        }
        else if (context.Request.Path.StartsWithSegments(ApiPaths.Operations))
        {
            await Results.Problem(ReasonFor(code), statusCode: code).ExecuteAsync(context);
        }
    }

    private static string ReasonFor(int code) => code switch
    {
        StatusCodes.Status404NotFound => "No such resource",
        StatusCodes.Status405MethodNotAllowed => "Method not allowed here",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported content type",
        _ => ReasonPhrases.GetReasonPhrase(code),
    };
}
