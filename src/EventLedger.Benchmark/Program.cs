using System.Text.Json;
using EventLedger.Benchmark;
using EventLedger.LoadGenerator;

// The benchmark of docs/benchmarks.md: dotnet run -c Release --project src/EventLedger.Benchmark [-- --smoke]
BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"benchmark: {ex.Message}");
    return 2;
}

var repository = Repository.Root();
var work = options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), $"eventledger-benchmark-{DateTime.UtcNow:yyyyMMddHHmmss}");
if (Directory.Exists(work) && Directory.EnumerateFileSystemEntries(work).Any())
{
    Console.Error.WriteLine($"benchmark: the work directory {work} must be new or empty");
    return 2;
}

Directory.CreateDirectory(work);
var outDirectory = options.OutDirectory ?? (options.Smoke ? work : Path.Combine(repository, "docs"));
var command = "dotnet run -c Release --project src/EventLedger.Benchmark" + (args.Length > 0 ? " -- " + string.Join(' ', args) : "");
var clock = System.Diagnostics.Stopwatch.StartNew();
void Log(string message) => Console.Error.WriteLine($"[{clock.Elapsed:mm\\:ss}] {message}");

try
{
    var result = await new BenchmarkRun(options, Log).RunAsync(repository, work, command);
    Directory.CreateDirectory(outDirectory);
    await File.WriteAllTextAsync(Path.Combine(outDirectory, "benchmarks.json"), JsonSerializer.Serialize(result, Report.Json));
    var markdown = Path.Combine(outDirectory, "benchmarks.md");
    var existing = File.Exists(markdown) ? await File.ReadAllTextAsync(markdown) : "# Benchmarks\n";
    await File.WriteAllTextAsync(markdown, MarkdownReport.Replace(existing, MarkdownReport.Render(result)));
    Log($"wrote {markdown} and benchmarks.json beside it");

    var missing = result.Missing();
    foreach (var gap in missing)
    {
        Log("missing: " + gap);
    }

    return missing.Count == 0 ? 0 : 1;
}
finally
{
    if (!options.KeepWork)
    {
        Directory.Delete(work, recursive: true);
    }
}

/// <summary>The repository the benchmark builds and reports into: found from the working directory up.</summary>
internal static class Repository
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EventLedger.sln")) && Directory.Exists(Path.Combine(dir.FullName, "migrations")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("run the benchmark from inside the repository (EventLedger.sln not found above " + Environment.CurrentDirectory + ")");
    }
}
