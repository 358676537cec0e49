using System.Text.Json;
using EventLedger.LoadGenerator;

// Drives a running switch as many tills would; see docs/benchmarks.md for the options.
LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine($"load generator: {ex.Message}");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var recorder = new Recorder();
using var driver = new SuvDriver(options, recorder);
var runner = new Runner(options, driver, recorder);
await runner.PrepareAsync(cancel.Token);
var measured = await runner.RunAsync(cancel.Token);
var result = Report.Build(options, recorder, measured);
Console.WriteLine(Report.Table(result));
if (options.JsonOut is { } path)
{
    await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, Report.Json));
}

return 0;
