using EventLedger.Accounts;
using EventLedger.ApiReference;
using EventLedger.Clients;
using EventLedger.Demo;
using EventLedger.Finance;
using EventLedger.Hosting;
using EventLedger.Operations;
using EventLedger.OperatorConsole;
using EventLedger.Providers;
using EventLedger.Redemptions;
using EventLedger.Security;
using EventLedger.StoreAndForward;
using EventLedger.Suv;
using EventLedger.Suv.Messages;
using EventLedger.Vouchers;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using Wolverine.Http;

namespace EventLedger.Composition;

/// <summary>
/// The composition root: the kernel, then each area from its own Configuration, then the request
/// pipeline. Nothing here decides anything; the areas' rules live in their folders.
/// </summary>
public static class SwitchHost
{
    /// <param name="serving">
    /// Whether the switch is to serve (the run command). Only then must its configuration be
    /// complete: the other commands (hash-password, codegen, db-patch, db-apply, projections) run
    /// before or beside a deployment and need only what they touch.
    /// </param>
    public static LedgerDatabase AddEventLedger(this WebApplicationBuilder builder, bool serving = true)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        var kernel = builder.AddSwitchKernel();
        var providers = ProvidersConfiguration.Read(configuration);
        var clients = ClientsConfiguration.Read(configuration);
        var operators = OperationsConfiguration.Read(configuration);
        var demo = services.AddDemo(configuration, kernel, providers, clients, operators);
        kernel.Management.ApiReference ??= demo;
        if (!demo && serving && (providers.Count == 0 || clients.Count == 0))
        {
            throw new StartupException(
                $"{(providers.Count == 0 ? ProviderOptions.Section : OriginatorClient.Section)}: no entry configured (expected {(providers.Count == 0 ? "Providers:0:InstitutionId, …" : "Clients:0:Id, …")}); the switch does not start half-configured, and demo mode runs only with no Providers, Clients or ConnectionStrings:Ledger at all (docs/configuration.md).");
        }

        var providerDirectory = new ProviderDirectory(providers);
        services.AddAccounts();
        services.AddClients(clients);
        services.AddOperations(operators);
        services.AddProviders(providerDirectory);
        services.AddSecurity(kernel.Options, kernel.Database);
        services.AddVouchers();
        services.AddRedemptions(configuration);
        services.AddStoreAndForward(configuration, providerDirectory);
        services.AddFinance(configuration);
        services.AddApiReference();
        services.AddOperatorConsole(configuration, demo);
        services.AddHostedService<StartupReport>();
        return kernel.Database;
    }

    public static void UseEventLedger(this WebApplication app)
    {
        // WriteServerFault logs each fault it handles once (a client's framing as one warning line);
        // the middleware's own entry for those would repeat it with a stack trace. Faults it could
        // not handle are still logged by the middleware.
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteServerFault, SuppressDiagnosticsCallback = _ => true });
        app.UseStatusCodePages(EmptyErrors.WriteAsync);
        app.UseControlCharacterGuard();
        app.UseOriginatorAuthentication();
        app.UseBasicAuthentication<OperatorAccount>(OperatorAccount.BasePath, "EventLedger operations");
        app.UseLedgerFaultHandling(OriginatorAuthentication.SuvBasePath, OperatorAccount.BasePath);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        var management = app.Services.GetRequiredService<ManagementOptions>();
        if (management.Port() is { } port)
        {
            // By the port the connection came in on, not the Host header, which the client writes.
            app.Use(async (context, next) =>
            {
                if (ManagementOptions.IsManagementPath(context.Request.Path) && context.Connection.LocalPort != port)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }

                await next(context);
            });
        }

        if (management.Metrics)
        {
            app.MapPrometheusScrapingEndpoint("/metrics");
        }

        if (management.ApiReference == true)
        {
            app.MapApiReference();
        }

        app.UseOperatorConsole();
        app.MapWolverineEndpoints();
    }

    /// <summary>A fault of the switch itself: an ErrorDetail without internals; the details go to the log.</summary>
    private static async Task WriteServerFault(HttpContext context)
    {
        var fault = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (fault is BadHttpRequestException bad)
        {
            // The client's framing was wrong (a broken chunk, a body cut short, one too large for
            // Kestrel): its mistake, answered as such in one log line.
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("EventLedger.Fault")
                .LogWarning("Bad request on {Method} {Path}: {Reason}", context.Request.Method, context.Request.Path, bad.Message);
            context.Response.StatusCode = bad.StatusCode;
            await (context.Request.Path.StartsWithSegments(Operations.OperatorAccount.BasePath)
                ? Results.Problem("The request could not be read: " + bad.Message, statusCode: bad.StatusCode)
                : SuvHttp.Error(bad.StatusCode, ErrorDetail.Of(ErrorTypes.FormatError, "The request could not be read", Guid.NewGuid().ToString())))
                .ExecuteAsync(context);
            return;
        }

        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("EventLedger.Fault")
            .LogError(fault, "Unhandled fault on {Method} {Path}", context.Request.Method, context.Request.Path);
        await SuvHttp.Error(500, ErrorDetail.Of(ErrorTypes.GeneralError, "Internal error", Guid.NewGuid().ToString()))
            .ExecuteAsync(context);
    }
}
