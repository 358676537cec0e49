using System.Runtime.InteropServices;

namespace EventLedger.Benchmark;

/// <summary>The switch and the simulator as measured: Release builds, the switch with Wolverine's code generated beforehand and published ReadyToRun.</summary>
public sealed record SwitchBuild(string SwitchDll, string SimulatorDll)
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Files a build of src/ needs besides src/ itself.</summary>
    private static readonly string[] BuildFiles = ["Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig"];

    /// <summary>
    /// Builds a copy of the repository's sources in <paramref name="work"/>: Release, then
    /// <c>codegen write</c>, then a ReadyToRun publish with the generated handlers compiled in, so
    /// the switch can run with <c>Switch:GeneratedCode=Static</c>. A copy, so that generated files never
    /// land in the working tree where a later edit would make them stale.
    /// </summary>
    public static async Task<SwitchBuild> CreateAsync(string repository, string work, Action<string> log)
    {
        var root = Path.Combine(work, "build");
        CopySources(Path.Combine(repository, "src"), Path.Combine(root, "src"));
        foreach (var file in BuildFiles.Where(f => File.Exists(Path.Combine(repository, f))))
        {
            File.Copy(Path.Combine(repository, file), Path.Combine(root, file));
        }

        var switchProject = Path.Combine(root, "src", "EventLedger");
        var simulatorProject = Path.Combine(root, "src", "EventLedger.ProviderSimulator");
        log("building the switch and the simulator (Release)");
        await BuildAsync(switchProject);
        await BuildAsync(simulatorProject);
        var build = new SwitchBuild(
            Path.Combine(switchProject, "bin", "Release", "net10.0", "EventLedger.dll"),
            Path.Combine(simulatorProject, "bin", "Release", "net10.0", "EventLedger.ProviderSimulator.dll"));

        log("generating the switch's handler code (codegen write), then publishing it ReadyToRun");
        await Child.RunAsync("dotnet", [build.SwitchDll, "codegen", "write"], BuildTimeout, CodegenSettings(), switchProject);
        // Precompiled (ReadyToRun) as the Dockerfile publishes it: ~0.5 s less to start than JIT alone.
        var published = Path.Combine(work, "switch");
        await Child.RunAsync("dotnet",
        [
            "publish", switchProject, "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "false",
            "-p:PublishReadyToRun=true", "-o", published, "-nologo", "-v", "q",
        ], BuildTimeout);
        return build with { SwitchDll = Path.Combine(published, "EventLedger.dll") };
    }

    private static Task<string> BuildAsync(string project) =>
        Child.RunAsync("dotnet", ["build", project, "-c", "Release", "-nologo", "-v", "q"], BuildTimeout);

    /// <summary>Enough configuration for the host to boot; code generation touches no database or provider.</summary>
    private static Dictionary<string, string> CodegenSettings() => new()
    {
        ["ConnectionStrings:Ledger"] = "Host=127.0.0.1;Port=1;Username=codegen;Password=codegen;Database=codegen",
        ["Switch:VoucherHashKey"] = Convert.ToBase64String(new byte[32]),
        ["Switch:ApplySchemaOnStartup"] = "false",
        ["Providers:0:InstitutionId"] = "44444444",
        ["Providers:0:BaseUrl"] = "http://127.0.0.1:1",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    private static void CopySources(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.EnumerateDirectories(from))
        {
            var name = Path.GetFileName(directory);
            // Build output is rebuilt from scratch.
            if (name is not ("bin" or "obj"))
            {
                CopySources(directory, Path.Combine(to, name));
            }
        }
    }
}
