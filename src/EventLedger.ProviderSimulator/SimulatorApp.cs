using System.Security.Cryptography;
using System.Text;
using EventLedger.Suv;
using EventLedger.Suv.Messages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EventLedger.ProviderSimulator;

/// <summary>Builds the simulator's web application, standalone or hosted inside the switch's demo mode.</summary>
public static class SimulatorApp
{
    /// <param name="book">Vouchers to serve; pass the previous server's to restart a provider with its data intact.</param>
    /// <param name="control">Behaviours and received log; likewise kept across a restart when passed.</param>
    public static WebApplication Build(
        SimulatorOptions options, string url, string[]? args = null, VoucherBook? book = null, SimulatorControl? control = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.WebHost.UseUrls(url);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(book ?? new VoucherBook(options));
        builder.Services.AddSingleton(control ?? new SimulatorControl(options, TimeProvider.System));
        builder.Services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        var app = builder.Build();
        // The control API is for whoever runs the simulator (tests, benchmark, a person on this host).
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/suv"), suv => suv.Use(Authenticate));
        VoucherEndpoints.Map(app);
        RedemptionEndpoints.Map(app);
        SimulatorControl.Map(app);
        return app;
    }

    /// <summary>Every SUV call needs one of the configured Basic-auth accounts.</summary>
    private static async Task Authenticate(HttpContext context, RequestDelegate next)
    {
        var options = context.RequestServices.GetRequiredService<SimulatorOptions>();
        var credentials = BasicCredentials.From(context.Request);
        if (credentials is not { } c || !options.Accounts.TryGetValue(c.User, out var expected) || !SamePassword(expected, c.Password))
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"provider-simulator\"";
            await SuvHttp.Error(401, ErrorDetail.Of(ErrorTypes.AuthenticationError, "Unknown user or wrong password", Guid.NewGuid().ToString()))
                .ExecuteAsync(context);
            return;
        }

        context.Items[nameof(BasicCredentials)] = c;
        await next(context);
    }

    private static bool SamePassword(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));

    /// <summary>
    /// Reads a transaction message and applies the reference server's rule that the Basic user
    /// name must equal its client.id, then handles it.
    /// </summary>
    public static Task<IResult> HandleTransactionAsync<T>(
        HttpContext context, Func<T, IReadOnlyList<FormatError>> validate, Func<T, Task<IResult>> handle)
        where T : SuvTransaction =>
        SuvHttp.HandleAsync<T>(context.Request, validate, message =>
        {
            var credentials = (BasicCredentials)context.Items[nameof(BasicCredentials)]!;
            return message.Client?.Id == credentials.User
                ? handle(message)
                : Task.FromResult(SuvHttp.Error(400,
                    ErrorDetail.Of(ErrorTypes.AuthenticationError, "The Basic user name must equal client.id", message.Id)));
        });
}
