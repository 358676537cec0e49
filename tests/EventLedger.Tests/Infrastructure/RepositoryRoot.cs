namespace EventLedger.Tests.Infrastructure;

/// <summary>Finds the repository's folders from the test binaries.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Migrations => System.IO.Path.Combine(Path, "migrations");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "EventLedger.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EventLedger.sln not found above " + AppContext.BaseDirectory);
    }
}
