using System.Text.RegularExpressions;
using EventLedger.Tests.Infrastructure;

namespace EventLedger.Tests.Architecture;

/// <summary>
/// The house's map holds (docs/design.md): set the composition root aside, and the folders of
/// src/EventLedger depend on one another in one direction only, with the kernel (Hosting) at the
/// bottom, depending on no area.
/// </summary>
public sealed partial class DependencyTests
{
    private const string CompositionRoot = "Composition";
    private const string Kernel = "Hosting";

    private static readonly string Source = Path.Combine(RepositoryRoot.Path, "src", "EventLedger");

    [Fact]
    public void The_kernel_depends_on_no_area()
    {
        Dependencies()[Kernel].Should().BeEmpty("every area builds on the kernel, so the kernel can build on none of them");
    }

    [Fact]
    public void No_folder_depends_on_itself_through_others()
    {
        var graph = Dependencies();
        graph.Remove(CompositionRoot);

        var cycles = graph.Keys.Select(area => CycleFrom(area, graph)).OfType<string>().ToList();

        cycles.Should().BeEmpty();
    }

    [Fact]
    public void Only_the_entry_point_uses_the_composition_root_and_no_file_imports_for_all()
    {
        Dependencies().Where(d => d.Key != CompositionRoot && d.Value.Contains(CompositionRoot)).Select(d => d.Key)
            .Should().BeEmpty("the composition root calls the areas, never the other way");
        Directory.GetFiles(Source, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => File.ReadLines(f).Any(l => l.TrimStart().StartsWith("global using EventLedger.", StringComparison.Ordinal)))
            .Should().BeEmpty("a global using would make an area visible everywhere without an import this map could see");
    }

    [Fact]
    public void The_map_sees_every_folder_and_their_known_dependencies()
    {
        var graph = Dependencies();

        // The probe must see references, or the tests above would pass on nothing.
        graph.Keys.Should().Contain(["Redemptions", "StoreAndForward", "Finance", Kernel]);
        graph["StoreAndForward"].Should().Contain("Redemptions");
        graph["Redemptions"].Should().Contain(Kernel).And.NotContain("StoreAndForward");
    }

    /// <summary>Each folder's references to the others: namespaces imported or named, comments set aside.</summary>
    private static Dictionary<string, HashSet<string>> Dependencies()
    {
        var areas = Directory.GetDirectories(Source).Select(Path.GetFileName).OfType<string>()
            .Where(d => d is not ("bin" or "obj") && Directory.GetFiles(Path.Combine(Source, d), "*.cs").Length > 0)
            .ToHashSet(StringComparer.Ordinal);
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var area in areas)
        {
            var code = string.Join('\n', Directory.GetFiles(Path.Combine(Source, area), "*.cs", SearchOption.AllDirectories)
                .SelectMany(File.ReadLines).Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)));
            graph[area] = Reference().Matches(code).Select(m => m.Groups[1].Value)
                .Where(name => areas.Contains(name) && name != area).ToHashSet(StringComparer.Ordinal);
            // Comments at the end of a line are set aside too.
            graph[area].RemoveWhere(name => !Reference().Matches(StripTrailingComments(code)).Any(m => m.Groups[1].Value == name));
        }

        return graph;
    }

    private static string StripTrailingComments(string code) =>
        string.Join('\n', code.Split('\n').Select(l => l.IndexOf(" // ", StringComparison.Ordinal) is var at and >= 0 ? l[..at] : l));

    private static string? CycleFrom(string start, Dictionary<string, HashSet<string>> graph)
    {
        var path = new Stack<string>();
        return Visit(start);

        string? Visit(string area)
        {
            path.Push(area);
            foreach (var next in graph[area].Where(graph.ContainsKey))
            {
                if (next == start)
                {
                    return string.Join(" -> ", path.Reverse().Append(start));
                }

                if (!path.Contains(next) && Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.Pop();
            return null;
        }
    }

    // "using EventLedger.X", "EventLedger.X.", or a name qualified from inside the project ("Redemptions.RedemptionLog").
    [GeneratedRegex(@"(?:\bEventLedger\.|(?<![\w.]))([A-Z][A-Za-z]+)(?=[.;])")]
    private static partial Regex Reference();
}
