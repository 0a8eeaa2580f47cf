using Microsoft.Data.Sqlite;

namespace ScenarioKit.Hub.Tests.Support;

/// <summary>A real SQLite file in a fresh temp folder, deleted (with its WAL files) when the test ends.</summary>
internal sealed class TempDatabase : IDisposable
{
    public TempDatabase() => Directory.CreateDirectory(Folder);

    public string Folder { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sk-hub-" + Guid.NewGuid().ToString("N"));

    public string Path => System.IO.Path.Combine(Folder, "hub.db");

    public void Dispose()
    {
        // Pooled connections keep the file open; release them so the folder can go.
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
    }
}
