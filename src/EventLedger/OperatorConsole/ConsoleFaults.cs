using System.Text.Encodings.Web;
using EventLedger.Hosting;

namespace EventLedger.OperatorConsole;

/// <summary>
/// A console page that meets a fault answers with a page a person can read, never the APIs' JSON
/// or a stack trace: the ledger away is 503 with "try again", anything else 500 with a reference
/// that is in the log (once, with the exception).
/// </summary>
public static class ConsoleFaults
{
    /// <summary>Pages that show ledger data are never kept by a browser or a proxy, nor framed by another site, nor run a script.</summary>
    public static void Protect(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Frame-Options"] = "DENY";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers["Referrer-Policy"] = "same-origin";
        response.Headers.ContentSecurityPolicy =
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }

    public static async Task HandleAsync(HttpContext context, Func<Task> next)
    {
        Protect(context.Response);
        try
        {
            await next();
            if (!context.Response.HasStarted && context.Response.StatusCode >= 400)
            {
                // An answer with no page (a form without its anti-forgery token, a page that does not exist).
                await WriteAsync(context, context.Response.StatusCode, context.Response.StatusCode switch
                {
                    400 => "The form could not be taken: it may have been open too long or come from elsewhere. Go back, reload it and try again.",
                    404 => "There is no such page.",
                    _ => "The request could not be served.",
                });
            }
        }
        catch (BadHttpRequestException bad) when (!context.Response.HasStarted)
        {
            // The client's request could not be read (an upload larger than allowed, a body cut short).
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("EventLedger.Console")
                .LogWarning("Console {Path}: bad request ({Reason})", context.Request.Path, bad.Message);
            await WriteAsync(context, bad.StatusCode, "The request could not be read: " + bad.Message);
        }
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("EventLedger.Console");
            var reference = Guid.NewGuid().ToString();
            var unavailable = Faults.IsDatabaseUnavailable(ex) || Faults.IsLockTimeout(ex);
            if (unavailable)
            {
                context.RequestServices.GetRequiredService<LedgerAvailability>().Report(ex);
                logger.LogWarning("Console {Path}: the ledger is unavailable ({Reason}); reference {Reference}", context.Request.Path, Faults.Describe(ex), reference);
            }
            else
            {
                logger.LogError(ex, "Console {Path} failed; reference {Reference}", context.Request.Path, reference);
            }

            await WriteAsync(context, unavailable ? 503 : 500, unavailable
                ? "The ledger database is unavailable just now; nothing was changed. Try again in a moment."
                : "Something went wrong on the switch; nothing may have been changed. Quote this reference to whoever runs it: " + reference);
        }
    }

    private static async Task WriteAsync(HttpContext context, int status, string message)
    {
        context.Response.Clear();
        Protect(context.Response);
        context.Response.StatusCode = status;
        if (status == 503)
        {
            context.Response.Headers.RetryAfter = LedgerFaultHandling.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync($"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>EventLedger console</title><link rel="stylesheet" href="/console/console.css"></head>
            <body><main id="main"><h1>{(status == 503 ? "Ledger unavailable" : status >= 500 ? "Error" : "Not done")}</h1><p class="notice bad" role="alert">{HtmlEncoder.Default.Encode(message)}</p>
            <p><a href="/console">Back to the overview</a></p></main></body></html>
            """);
    }
}
