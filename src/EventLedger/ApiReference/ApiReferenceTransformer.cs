using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace EventLedger.ApiReference;

/// <summary>
/// Makes the generated OpenAPI document read like Electrum's: operations under their SUV names in
/// three groups, with the catalog's words, exactly the answers each can give, example messages, and
/// HTTP Basic declared. Endpoint discovery names operations after routes and tags them with
/// handler class names; none of that is for readers.
/// </summary>
public sealed class ApiReferenceTransformer : IOpenApiDocumentTransformer
{
    public const string SecurityScheme = "basic";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "EventLedger",
            Version = "v1",
            Description = "A voucher-redemption switch speaking Electrum's SUV interface (v1.14) to tills and to providers, with an event-sourced ledger. "
                + "The SUV rules as the switch applies them, and every deliberate deviation, are in docs/protocol.md.",
        };
        document.Tags = new HashSet<OpenApiTag>(ApiCatalog.Groups.Select(g => new OpenApiTag { Name = g.Key, Description = g.Value }));
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [SecurityScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "basic",
                Description = "HTTP Basic: an originator's id and password for /suv/v1, an operator's for /ops/v1.",
            },
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecurityScheme, document)] = [] }];
        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            if (ApiCatalog.Find(operation.OperationId) is { } described)
            {
                Describe(operation, described, document);
            }
        }

        // Handlers answer IResult; the schema generated for it describes nothing a client receives.
        document.Components.Schemas?.Remove("IResult");
        return Task.CompletedTask;
    }

    private static void Describe(OpenApiOperation operation, ApiOperation described, OpenApiDocument document)
    {
        operation.Tags = new HashSet<OpenApiTagReference> { new(described.Group, document) };
        operation.Summary = described.Summary;
        operation.Description = described.Description;
        var declared = operation.Responses ?? [];
        var responses = new OpenApiResponses();
        foreach (var (status, meaning) in described.Answers.OrderBy(a => a.Key))
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var content = described.Bodiless?.Contains(status) == true ? []
                : declared.TryGetValue(key, out var kept) && kept.Content is { } typed && !IsUntyped(typed) ? new Dictionary<string, OpenApiMediaType>(typed)
                : Untyped(described.Group, status, document);
            if (described.AnswerExamples?.TryGetValue(status, out var file) == true)
            {
                foreach (var media in content.Values)
                {
                    media.Example = Example(file);
                }
            }

            responses[key] = new OpenApiResponse { Description = meaning, Content = content.Count > 0 ? content : null };
        }

        operation.Responses = responses;
        if (described.RequestExample is { } request && operation.RequestBody?.Content is { } body)
        {
            foreach (var media in body.Values)
            {
                media.Example = Example(request);
            }
        }
    }

    private static bool IsUntyped(IDictionary<string, OpenApiMediaType> content) =>
        content.Values.Any(m => m.Schema is OpenApiSchemaReference { Reference.Id: "IResult" });

    /// <summary>SUV errors are ErrorDetail messages; the operator API's are problem documents.</summary>
    private static Dictionary<string, OpenApiMediaType> Untyped(string group, int status, OpenApiDocument document)
    {
        if (status < 400)
        {
            return new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() };
        }

        return group == ApiCatalog.Suv
            ? new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchemaReference("ErrorDetail", document) } }
            : new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() };
    }

    private static JsonNode? Example(string file)
    {
        using var stream = typeof(ApiReferenceTransformer).Assembly.GetManifestResourceStream($"ApiReference.Examples.{file}")
            ?? throw new InvalidOperationException($"example {file} is not embedded");
        return JsonNode.Parse(stream);
    }
}
