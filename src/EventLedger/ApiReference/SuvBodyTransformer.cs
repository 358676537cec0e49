using Microsoft.AspNetCore.OpenApi;
using EventLedger.Hosting;
using Microsoft.OpenApi;

namespace EventLedger.ApiReference;

/// <summary>Adds the request body that <see cref="SuvBodyAttribute"/> declares to each operation's OpenAPI description.</summary>
public sealed class SuvBodyTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var body = context.Description.ActionDescriptor.EndpointMetadata.OfType<SuvBodyAttribute>().FirstOrDefault();
        if (body is null)
        {
            return;
        }

        var schema = await context.GetOrCreateSchemaAsync(body.RequestType, null, cancellationToken);
        context.Document?.AddComponent(body.RequestType.Name, schema);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = new OpenApiSchemaReference(body.RequestType.Name, context.Document) },
            },
        };
    }
}
