using System.Xml.Linq;
using Marten;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace EventLedger.OperatorConsole;

/// <summary>One Data Protection key, as ASP.NET writes it (XML).</summary>
public sealed class ConsoleKey
{
    public string Id { get; set; } = "";

    public string Xml { get; set; } = "";
}

/// <summary>
/// The keys that sign the console's session and anti-forgery cookies, kept in the ledger database
/// rather than on one machine's disk: every node of a cluster honours a session any of them opened,
/// and a restart or a replaced container signs no one out. ASP.NET calls this rarely (it caches the
/// ring and rolls a key every 90 days), synchronously. Whoever can read the database can read these
/// keys, as they can the ledger itself: guard the database accordingly (docs/security.md).
/// </summary>
public sealed class ConsoleKeyRing(IDocumentStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        // IXmlRepository is synchronous and Marten's sessions are not: blocking here is rare (the ring
        // is cached) and safe (ASP.NET Core has no synchronization context to deadlock on).
        using var session = store.QuerySession();
        var keys = session.Query<ConsoleKey>().ToListAsync().GetAwaiter().GetResult();
        return [.. keys.Select(k => XElement.Parse(k.Xml))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var session = store.LightweightSession();
        session.Store(new ConsoleKey { Id = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        session.SaveChangesAsync().GetAwaiter().GetResult();
    }
}
