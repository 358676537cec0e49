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
    private const string Marker = "@@walkthrough-step-";

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

    /// <summary>
    /// Runs the steps in one bash, from <paramref name="directory"/>, as a reader pasting them would;
    /// what each printed, by step. A step whose answer holds "eventually" is run again until it
    /// prints what the document shows, for at most <paramref name="eventually"/>.
    /// </summary>
    public static async Task<IReadOnlyList<string>> RunAsync(
        IReadOnlyList<WalkthroughStep> steps, string directory, IReadOnlyDictionary<string, string> environment, TimeSpan eventually)
    {
        await using var shell = await Shell.StartAsync(directory, environment);
        var printed = new List<string>();
        for (var i = 0; i < steps.Count; i++)
        {
            var deadline = DateTimeOffset.UtcNow + eventually;
            var output = await shell.RunAsync(steps[i].Commands, i);
            while (steps[i] is { Eventually: true, Answer: { } answer } && answer.Mismatch(output) is not null && DateTimeOffset.UtcNow < deadline)
            {
                // Asked again until the answer is the one shown: a condition, not a pause of a guessed length.
                await Task.Delay(500);
                output = await shell.RunAsync(steps[i].Commands, i);
            }

            printed.Add(output);
        }

        return printed;
    }

    /// <summary>One bash fed step by step; each step's output ends at a marker line it echoes.</summary>
    private sealed class Shell : IAsyncDisposable
    {
        private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(1);
        private readonly Process _bash;
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _errors = new();

        private Shell(Process bash)
        {
            _bash = bash;
            _bash.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    _errors.Enqueue(e.Data);
                }
            };
            _bash.BeginErrorReadLine();
        }

        public static Task<Shell> StartAsync(string directory, IReadOnlyDictionary<string, string> environment)
        {
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

            var bash = Process.Start(start) ?? throw new InvalidOperationException("bash could not be started");
            return Task.FromResult(new Shell(bash));
        }

        public async Task<string> RunAsync(string commands, int step)
        {
            var marker = FormattableString.Invariant($"{Marker}{step}-{Guid.NewGuid():N}");
            await _bash.StandardInput.WriteAsync($"{commands.TrimEnd()}\necho\necho '{marker}'\n");
            await _bash.StandardInput.FlushAsync();
            var output = new StringBuilder();
            using var timeout = new CancellationTokenSource(StepTimeout);
            try
            {
                while (true)
                {
                    var line = await _bash.StandardOutput.ReadLineAsync(timeout.Token)
                        ?? throw new InvalidOperationException($"bash ended during step {step}");
                    if (line == marker)
                    {
                        return output.ToString();
                    }

                    output.Append(line).Append('\n');
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
            {
                throw new Xunit.Sdk.XunitException(
                    $"step {step} did not finish ({ex.Message}):\n{commands}\nprinted so far:\n{output}\nbash said:\n{string.Join('\n', _errors)}");
            }
        }

        public async ValueTask DisposeAsync()
        {
            _bash.StandardInput.Close();
            if (!_bash.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                _bash.Kill(entireProcessTree: true);
            }

            await _bash.WaitForExitAsync();
            _bash.Dispose();
        }
    }

    [GeneratedRegex(@"^```([a-z][a-z ]*)\s*$")]
    private static partial Regex Fence();
}
