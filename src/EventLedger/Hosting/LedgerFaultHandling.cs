using System.Globalization;
using EventLedger.Suv;
using EventLedger.Suv.Messages;

namespace EventLedger.Hosting;

/// <summary>
/// While the ledger database is away the switch can record nothing, so every SUV and operations
/// request is answered 503 with <c>Retry-After</c> at once, never a hang and never a 500: first from
/// <see cref="LedgerAvailability"/> before any work starts, and, for a request that meets the outage
/// half-way, from the fault itself. An advice or a redemption resent after the database returns is
/// answered from the ledger as the protocol's tables say (a repeat is answered as the first time).
/// </summary>
public static class LedgerFaultHandling
{
    public const int RetryAfterSeconds = 1;
    public const string Message = "Ledger unavailable; the request may not be recorded: resend";
    public const string BusyMessage = "Busy with this redemption; nothing was recorded: resend";

    /// <param name="suvBasePath">Answered with an SUV ErrorDetail.</param>
    /// <param name="operationsBasePath">Answered with a problem document.</param>
    public static IApplicationBuilder UseLedgerFaultHandling(this IApplicationBuilder app, string suvBasePath, string operationsBasePath) => app.Use(async (context, next) =>
    {
        var suv = context.Request.Path.StartsWithSegments(suvBasePath);
        if (!suv && !context.Request.Path.StartsWithSegments(operationsBasePath))
        {
            await next(context);
            return;
        }

        var availability = context.RequestServices.GetRequiredService<LedgerAvailability>();
        if (!availability.IsAvailable)
        {
            await UnavailableAsync(context, suv, Message);
            return;
        }

        try
        {
            await next(context);
        }
        catch (Exception ex) when (Faults.IsDatabaseUnavailable(ex) && !context.Response.HasStarted)
        {
            availability.Report(ex);
            await UnavailableAsync(context, suv, Message);
        }
        catch (Exception ex) when (Faults.IsLockTimeout(ex) && !context.Response.HasStarted)
        {
            // Another node held the redemption's lock past its timeout; nothing was written.
            await UnavailableAsync(context, suv, BusyMessage);
        }
    });

    private static async Task UnavailableAsync(HttpContext context, bool suv, string message)
    {
        context.Response.Clear();
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        if (suv)
        {
            await SuvHttp.Error(503, ErrorDetail.Of(ErrorTypes.GeneralError, message, Guid.NewGuid().ToString())).ExecuteAsync(context);
        }
        else
        {
            await Results.Problem(message, statusCode: 503).ExecuteAsync(context);
        }
    }
}
