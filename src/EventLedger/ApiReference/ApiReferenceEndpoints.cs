using Scalar.AspNetCore;

namespace EventLedger.ApiReference;

/// <summary>The OpenAPI document at /openapi/v1.json and the reference page at /docs, served from the switch alone.</summary>
public static class ApiReferenceEndpoints
{
    public static IServiceCollection AddApiReference(this IServiceCollection services) =>
        services.AddOpenApi(openApi =>
        {
            openApi.AddOperationTransformer<SuvBodyTransformer>();
            openApi.AddDocumentTransformer<ApiReferenceTransformer>();
        });

    public static void MapApiReference(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        // Switch networks often have no internet: no fonts from a CDN, no telemetry, no AI agent,
        // no vendor buttons; the page's script is served from the package.
        app.MapScalarApiReference("/docs", page => page
            .WithTitle("EventLedger API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            .HideClientButton()
            .WithDotNetFlag(false)
            .AddPreferredSecuritySchemes(ApiReferenceTransformer.SecurityScheme)
            .ShowOperationId());
    }
}
