using JasperFx;
using JasperFx.Events;
using Marten;
using Weasel.Core;

namespace EventLedger.Hosting;

/// <summary>
/// The ledger's Marten store as every reader of it sees it: schema, serialization, string stream
/// keys. The areas add their own events, documents and projections (each area's Configuration).
/// </summary>
public static class LedgerStore
{
    /// <summary>The one schema of the event store and its documents; raw SQL names its tables through it.</summary>
    public const string Schema = "ledger";

    /// <summary>Wolverine's inbox, outbox and node tables.</summary>
    public const string MessagingSchema = "wolverine";

    public static void Configure(StoreOptions store, string connectionString, bool applySchema)
    {
        store.Connection(connectionString);
        store.DatabaseSchemaName = Schema;
        store.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
        store.AutoCreateSchemaObjects = applySchema ? AutoCreate.CreateOrUpdate : AutoCreate.None;
        store.Events.StreamIdentity = StreamIdentity.AsString;
        // A read model that silently skips an event is wrong without saying so: stop and tell.
        foreach (var errors in new[] { store.Projections.Errors, store.Projections.RebuildErrors })
        {
            errors.SkipApplyErrors = false;
            errors.SkipSerializationErrors = false;
            errors.SkipUnknownEvents = false;
        }

        store.Schema.For<SwitchNode>();
    }
}
