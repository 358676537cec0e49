using EventLedger.Hosting;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace EventLedger.OperatorConsole;

/// <summary>
/// The console registers itself: server-rendered Razor Pages under <c>/console</c>, a cookie session
/// of its own (operators sign in with their operations account), CSRF tokens on every form, and the
/// three role policies. Nothing of it touches the SUV or operations APIs, which keep HTTP Basic.
/// </summary>
public static class ConsoleConfiguration
{
    public static IServiceCollection AddOperatorConsole(this IServiceCollection services, IConfiguration configuration, bool demo)
    {
        var options = Settings.Read<ConsoleOptions>(configuration, ConsoleOptions.Section);
        if (demo && configuration[$"{ConsoleOptions.Section}:SecureCookies"] is null)
        {
            // The demo is plain HTTP on this machine; a Secure cookie would never come back.
            options.SecureCookies = false;
        }

        services.AddSingleton(options);
        if (!options.Enabled)
        {
            return services;
        }

        services.AddSingleton<ProjectionRebuilds>();
        services.AddSingleton<Overview>();
        services.AddDataProtection().SetApplicationName("EventLedger");
        services.AddOptions<KeyManagementOptions>().Configure<IDocumentStore>((keys, store) => keys.XmlRepository = new ConsoleKeyRing(store));
        services.ConfigureMarten(store =>
        {
            store.Schema.For<ConsoleKey>();
            store.Events.AddEventType<ProjectionRebuildStarted>();
            store.Events.AddEventType<ProjectionRebuildEnded>();
        });
        services.AddRazorPages(pages =>
        {
            pages.RootDirectory = "/OperatorConsole/Pages";
            pages.Conventions.AuthorizeFolder("/", ConsoleAccess.Viewer);
            pages.Conventions.AllowAnonymousToPage("/SignIn");
        });
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "EventLedger.Console.Csrf";
            antiforgery.Cookie.Path = ConsoleOptions.BasePath;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            // As the request came: ASP.NET refuses to issue an "always secure" token over plain HTTP,
            // which is how the switch sees requests behind a proxy that ends TLS. The token proves a
            // form came from the console; it opens nothing without the session, whose cookie is Secure.
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddAuthentication(ConsoleAccess.Scheme).AddCookie(ConsoleAccess.Scheme, cookie =>
        {
            cookie.Cookie.Name = "EventLedger.Console";
            cookie.Cookie.Path = ConsoleOptions.BasePath;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = options.SecureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = options.IdleTimeout;
            cookie.SlidingExpiration = true;
            cookie.LoginPath = ConsoleOptions.BasePath + "/sign-in";
            cookie.LogoutPath = ConsoleOptions.BasePath + "/sign-out";
            cookie.AccessDeniedPath = ConsoleOptions.BasePath + "/denied";
            cookie.Events.OnValidatePrincipal = ConsoleAccess.ValidateAsync;
            // Relative, so that behind a proxy that ends TLS the browser stays on https (the switch
            // itself sees http and would name that scheme in an absolute redirect).
            cookie.Events.OnRedirectToLogin = Relative;
            cookie.Events.OnRedirectToAccessDenied = Relative;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(ConsoleAccess.Viewer, policy => policy.RequireAuthenticatedUser().AddAuthenticationSchemes(ConsoleAccess.Scheme)
                .RequireRole(Enum.GetNames<Operations.OperatorRole>()))
            .AddPolicy(ConsoleAccess.Operator, policy => policy.RequireAuthenticatedUser().AddAuthenticationSchemes(ConsoleAccess.Scheme)
                .RequireRole(nameof(Operations.OperatorRole.Operator)))
            .AddPolicy(ConsoleAccess.Finance, policy => policy.RequireAuthenticatedUser().AddAuthenticationSchemes(ConsoleAccess.Scheme)
                .RequireRole(nameof(Operations.OperatorRole.Finance)));
        return services;
    }

    private static Task Relative(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(new Uri(context.RedirectUri).PathAndQuery);
        return Task.CompletedTask;
    }

    public static void UseOperatorConsole(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<ConsoleOptions>().Enabled)
        {
            return;
        }

        app.UseWhen(context => context.Request.Path.StartsWithSegments(ConsoleOptions.BasePath), console =>
        {
            console.Use((context, next) => ConsoleFaults.HandleAsync(context, next));
        });
        // On the main pipeline: in a UseWhen branch ASP.NET would not see them added and would add
        // both again before every request's handling. The cookie handler finds no cookie outside
        // /console (the cookie's path) and does nothing there.
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet(ConsoleOptions.BasePath + "/console.css", () => Results.Text(ConsoleStyle.Css, "text/css")).AllowAnonymous().ExcludeFromDescription();
        app.MapRazorPages();
    }
}
