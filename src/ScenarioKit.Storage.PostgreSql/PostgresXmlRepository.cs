using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace ScenarioKit.Storage.PostgreSql;

/// <summary>
/// ASP.NET Core Data Protection keys in the <c>data_protection_keys</c> table, so every node signs and reads the agent
/// console's cookies and anti-forgery tokens with the same keys. Two nodes creating the first key at once both store
/// theirs; the key ring holds both, and a node that meets a key it has not loaded yet reloads the ring.
/// </summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource dataSource) : IXmlRepository
{
    /// <summary>The advisory-lock key for making the first key ("SKDPKEYS" in ASCII).</summary>
    const long KeyLock = 0x534B_4450_4B45_5953;

    /// <summary>
    /// Runs <paramref name="action"/> (make the first key if there is none) under a session advisory lock, so nodes
    /// starting together make one key between them: a node that made its own would refuse the others' cookies until its
    /// key ring reloads.
    /// </summary>
    public static async Task RunExclusiveAsync(NpgsqlDataSource dataSource, Action action, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({KeyLock})", connection))
            await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            action();
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({KeyLock})", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        // Data Protection calls this synchronously, rarely (at first use and when the key ring expires).
        using var command = dataSource.CreateCommand("SELECT xml FROM data_protection_keys ORDER BY created_utc, friendly_name");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read()) elements.Add(XElement.Parse(reader.GetString(0)));
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var command = dataSource.CreateCommand("INSERT INTO data_protection_keys (friendly_name, xml) VALUES ($1, $2) ON CONFLICT (friendly_name) DO NOTHING");
        command.Parameters.Add(PostgresConnection.Text(friendlyName));
        command.Parameters.Add(PostgresConnection.Text(element.ToString(SaveOptions.DisableFormatting)));
        command.ExecuteNonQuery();
    }
}
