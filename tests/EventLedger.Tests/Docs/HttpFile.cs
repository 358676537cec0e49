using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EventLedger.Tests.Docs;

/// <summary>One request of a .http file, with the status its comment says to expect.</summary>
public sealed record HttpFileRequest(string Title, string? Name, string Method, string Url, IReadOnlyList<(string Name, string Value)> Headers, string Body, int Expected, bool Eventually);

/// <summary>
/// The part of VS Code's REST Client format that docs/examples/quickstart.http uses: file variables
/// (<c>@name = value</c>), requests between <c>###</c> lines, <c># @name</c>, <c>{{$guid}}</c>,
/// <c>{{$datetime "YYYY-MM-DD"}}</c>, and
/// references to earlier requests and answers (<c>{{first.request.body.$.id}}</c>,
/// <c>{{voucher.response.body.$.voucherCode}}</c>, <c>{{settlement.response.body.*}}</c>); and the
/// expected status each request's comment gives (<c># expect 200</c>, <c># expect 200 eventually</c>).
/// </summary>
public sealed partial class HttpFile
{
    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Request, string Response)> _sent = new(StringComparer.Ordinal);

    public HttpFile(string text)
    {
        var blocks = text.Replace("\r", "", StringComparison.Ordinal).Split("\n###");
        foreach (var line in blocks[0].Split('\n'))
        {
            if (Variable().Match(line) is { Success: true } variable)
            {
                _variables[variable.Groups[1].Value] = variable.Groups[2].Value.Trim();
            }
        }

        Requests = blocks.Skip(1).Select(ParseRequest).ToList();
    }

    public IReadOnlyList<HttpFileRequest> Requests { get; }

    public void Set(string variable, string value) => _variables[variable] = value;

    /// <summary>Sends one request, its variables resolved; asked again until its expected status while "eventually"; the status.</summary>
    public async Task<int> SendAsync(HttpClient http, HttpFileRequest request, TimeSpan eventually)
    {
        var deadline = DateTimeOffset.UtcNow + eventually;
        while (true)
        {
            var body = Resolve(request.Body);
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), Resolve(request.Url));
            if (body.Length > 0)
            {
                message.Content = new StringContent(body, Encoding.UTF8);
                message.Content.Headers.ContentType = null;
            }

            foreach (var (name, value) in request.Headers)
            {
                if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) && message.Content is not null)
                {
                    message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(Resolve(value));
                }
                else
                {
                    message.Headers.TryAddWithoutValidation(name, Resolve(value));
                }
            }

            using var response = await http.SendAsync(message);
            var status = (int)response.StatusCode;
            if (status == request.Expected || !request.Eventually || DateTimeOffset.UtcNow > deadline)
            {
                if (request.Name is not null)
                {
                    _sent[request.Name] = (body, await response.Content.ReadAsStringAsync());
                }

                return status;
            }

            await Task.Delay(500);
        }
    }

    private static HttpFileRequest ParseRequest(string block)
    {
        var lines = block.Split('\n');
        var title = lines[0].Trim();
        string? name = null;
        int? expected = null;
        var eventually = false;
        var i = 1;
        for (; i < lines.Length && (lines[i].StartsWith('#') || lines[i].Trim().Length == 0); i++)
        {
            if (NameComment().Match(lines[i]) is { Success: true } named)
            {
                name = named.Groups[1].Value;
            }
            else if (ExpectComment().Match(lines[i]) is { Success: true } expect)
            {
                expected = int.Parse(expect.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                eventually = expect.Groups[2].Success;
            }
        }

        var requestLine = lines[i].Split(' ', 2);
        var headers = new List<(string, string)>();
        for (i++; i < lines.Length && lines[i].Trim().Length > 0; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            headers.Add((lines[i][..colon].Trim(), lines[i][(colon + 1)..].Trim()));
        }

        var body = string.Join('\n', lines.Skip(i + 1)).Trim();
        return new HttpFileRequest(title, name, requestLine[0], requestLine[1].Trim(), headers, body,
            expected ?? throw new FormatException($"request \"{title}\" says no '# expect' status"), eventually);
    }

    private string Resolve(string text) => Reference().Replace(text, match =>
    {
        var expression = match.Groups[1].Value;
        if (expression == "$guid")
        {
            return Guid.NewGuid().ToString();
        }

        if (expression == "$datetime \"YYYY-MM-DD\"")
        {
            // The one custom format the file uses (Day.js tokens), in UTC as the REST Client gives it.
            return DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }

        if (_variables.TryGetValue(expression, out var value))
        {
            return Resolve(value);
        }

        var parts = expression.Split('.', 4);
        if (parts.Length < 4 || !_sent.TryGetValue(parts[0], out var sent) || parts[2] != "body")
        {
            throw new FormatException($"{{{{{expression}}}}} refers to nothing sent before");
        }

        var source = parts[1] == "request" ? sent.Request : sent.Response;
        if (parts[3] == "*")
        {
            return source;
        }

        // "$.a.b": a member path into the JSON body.
        var node = JsonNode.Parse(source);
        foreach (var member in parts[3].Split('.').Skip(1))
        {
            node = node?[member];
        }

        return node?.GetValue<string>() ?? throw new FormatException($"{{{{{expression}}}}} is not in the body");
    });

    [GeneratedRegex(@"^@([A-Za-z][A-Za-z0-9_]*)\s*=\s*(.*)$")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^#\s*@name\s+(\S+)")]
    private static partial Regex NameComment();

    [GeneratedRegex(@"^#\s*expect\s+(\d{3})(\s+eventually)?")]
    private static partial Regex ExpectComment();

    [GeneratedRegex(@"\{\{([^{}]+)\}\}")]
    private static partial Regex Reference();
}
