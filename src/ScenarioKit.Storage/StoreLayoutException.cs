namespace ScenarioKit.Storage;

/// <summary>
/// The SQLite file cannot be used with this build's table layout: it was written by a newer ScenarioKit (its layout is
/// higher than <see cref="SqliteConversationStore.LayoutVersion"/>). The message names the file and both layouts.
/// </summary>
public sealed class StoreLayoutException(string path, long fileLayout, long supportedLayout)
    : Exception($"{path} has storage layout {fileLayout}, newer than this ScenarioKit's {supportedLayout}: use a newer ScenarioKit.")
{
    public string Path { get; } = path;

    public long FileLayout { get; } = fileLayout;

    public long SupportedLayout { get; } = supportedLayout;
}
