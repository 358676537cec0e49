using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace EventLedger.Tests.Docs;

/// <summary>One shell step of a document and the answer it shows for it, if any.</summary>
public sealed record WalkthroughStep(int Line, string Commands, ShownAnswer? Answer, bool Eventually);

/// <summary>
/// A document's shell steps (```sh blocks), each followed by the answer it shows (a block whose info
/// string says "answer", e.g. ```json answer; "answer eventually" when it holds only after a while),
/// run in order in one shell, as a reader pasting them would. Blocks in other languages (```console
/// for starting the switch, say) are for reading only.
/// </summary>
public static partial class Walkthrough
{
    private const string Marker = "@@walkthrough-step ";

    public static IReadOnlyList<WalkthroughStep> Parse(string markdown)
    {
        var steps = new List<WalkthroughStep>();
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (Fence().Match(lines[i]) is not { Success: true } open)
            {
                continue;
            }

            var start = i;
            var body = new StringBuilder();
            for (i++; i < lines.Length && !lines[i].StartsWith("```", StringComparison.Ordinal); i++)
            {
                body.Append(lines[i]).Append('\n');
            }

            var words = open.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words is ["sh"])
            {
                steps.Add(new WalkthroughStep(start + 1, body.ToString(), null, false));
            }
            else if (words.Length >= 2 && words[1] == "answer")
            {
                var step = steps.Count > 0 ? steps[^1] : throw new FormatException($"line {start + 1}: an answer with no step before it");
                steps[^1] = step with { Answer = new ShownAnswer(body.ToString(), words[0] == "json"), Eventually = words.Contains("eventually") };
            }
        }

        return steps;
    }

    /// <summary>Runs the steps in one bash, from <paramref name="directory"/>; what each printed, by step.</summary>
    /// <param name="eventually">How long a step whose answer holds "eventually" is asked again.</param>
    public static async Task<IReadOnlyList<string>> RunAsync(
        IReadOnlyList<WalkthroughStep> steps, string directory, IReadOnlyDictionary<string, string> environment, TimeSpan eventually)
    {
        var script = new StringBuilder();
        for (var i = 0; i < steps.Count; i++)
        {
            script.Append(CultureInfoInvariant($"echo '{Marker}{i}'\n"));
            if (steps[i].Eventually && steps[i].Answer?.Status is { } status)
            {
                // Asked again until it answers with the status shown: a condition, not a pause of a guessed length.
                var tries = (int)(eventually.TotalSeconds * 2);
                script.Append(CultureInfoInvariant(
                    $"for try in $(seq 1 {tries}); do printed=$( {steps[i].Commands.TrimEnd()}\n ); case \"$printed\" in *'HTTP {status}') break;; esac; sleep 0.5; done; printf '%s\\n' \"$printed\"\n"));
            }
            else
            {
                script.Append(steps[i].Commands);
            }
        }

        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var bash = Process.Start(start) ?? throw new InvalidOperationException("bash could not be started");
        await bash.StandardInput.WriteAsync(script.ToString());
        bash.StandardInput.Close();
        var output = bash.StandardOutput.ReadToEndAsync();
        var errors = bash.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await bash.WaitForExitAsync(limit.Token);
        var printed = (await output).Split(Marker);
        printed.Length.Should().Be(steps.Count + 1, $"every step should have run; bash said:\n{await errors}");
        return printed.Skip(1).Select(p => p[(p.IndexOf('\n', StringComparison.Ordinal) + 1)..]).ToList();
    }

    private static string CultureInfoInvariant(FormattableString text) => FormattableString.Invariant(text);

    [GeneratedRegex(@"^```([a-z][a-z ]*)\s*$")]
    private static partial Regex Fence();
}
