using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace EventLedger.LocalPostgres;

/// <summary>The server's tools, run as the user that owns the cluster, and the files they share.</summary>
public sealed partial class LocalPostgres
{
    /// <summary>The data directory (password file, socket, log) is its owner's alone.</summary>
    private static void OwnerOnly(string directory)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private async Task<int> RunAsync(string tool, IReadOnlyList<string> args, CancellationToken ct, bool throwOnError = true)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var executable = Path.Combine(_binDirectory, tool);
        if (IsRoot)
        {
            start.FileName = "runuser";
            foreach (var arg in new[] { "-u", "postgres", "--", executable })
            {
                start.ArgumentList.Add(arg);
            }
        }
        else
        {
            start.FileName = executable;
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {tool}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(CommandTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0 && throwOnError)
        {
            throw new InvalidOperationException(
                $"{tool} failed with exit code {process.ExitCode}: {(await stderr).Trim()} {(await stdout).Trim()} (log: {Path.Combine(_dataDirectory, "postgres.log")})");
        }

        return process.ExitCode;
    }

    private static async Task<string> EnsurePasswordAsync(string dataDirectory, CancellationToken ct)
    {
        var file = Path.Combine(dataDirectory, "superuser.password");
        if (File.Exists(file))
        {
            return (await File.ReadAllTextAsync(file, ct)).Trim();
        }

        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        await File.WriteAllTextAsync(file, password, ct);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return password;
    }

    private static bool IsRoot => !OperatingSystem.IsWindows() && Environment.UserName == "root";

    /// <summary>As root the server runs as <c>postgres</c>, which must own its files and reach them.</summary>
    /// <param name="serverDirectory">A directory the server user owns already (searchable by it whatever its mode).</param>
    private static void GrantToServerUser(string path, string? serverDirectory = null)
    {
        if (OperatingSystem.IsWindows() || !IsRoot)
        {
            return;
        }

        using var chown = Process.Start("chown", ["postgres:postgres", path]);
        chown.WaitForExit();
        // The server must be able to traverse every parent directory to reach its data.
        for (var dir = Path.GetDirectoryName(path); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            var mode = File.GetUnixFileMode(dir);
            if (dir != serverDirectory && !mode.HasFlag(UnixFileMode.OtherExecute))
            {
                throw new InvalidOperationException(
                    $"the postgres user cannot reach {path}: {dir} is not searchable by others; choose another data directory");
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
