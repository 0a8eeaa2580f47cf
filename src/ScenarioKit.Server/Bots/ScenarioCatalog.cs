using System.Collections.Immutable;

namespace ScenarioKit.Server.Bots;

/// <summary>
/// The loaded scenario package versions, by id and version. Deploying a newer version adds it and makes it
/// the one new conversations get; older versions stay loaded so conversations that started on them finish
/// on them (issue 6, "deploying a newer package version does not disturb conversations").
/// </summary>
internal sealed class ScenarioCatalog
{
    readonly Lock _gate = new();
    ImmutableDictionary<string, ImmutableList<IScenarioBot>> _byId = ImmutableDictionary<string, ImmutableList<IScenarioBot>>.Empty.WithComparers(StringComparer.Ordinal);
    string? _defaultId;
    // The first id in ordinal order, kept at each deploy: new conversations ask for the default on every first turn.
    string? _firstId;

    public string? DefaultScenarioId
    {
        get => _defaultId ?? _firstId;
        set => _defaultId = value;
    }

    public bool IsEmpty => _byId.IsEmpty;

    /// <summary>Changes (by reference) whenever a version is deployed: lets readers cache what they derive from the catalog.</summary>
    public object Snapshot => _byId;

    /// <summary>Adds a version; the most recently deployed version of an id serves new conversations. Re-adding the same id+version replaces it.</summary>
    public void Deploy(IScenarioBot bot)
    {
        lock (_gate)
        {
            var list = _byId.TryGetValue(bot.ScenarioId, out var existing) ? existing : [];
            list = list.RemoveAll(b => string.Equals(b.Version, bot.Version, StringComparison.Ordinal)).Add(bot);
            Publish(_byId.SetItem(bot.ScenarioId, list));
        }
    }

    /// <summary>Adds a version as the oldest of its id: it serves its running conversations but not new ones.</summary>
    public void DeployOlder(IScenarioBot bot)
    {
        lock (_gate)
        {
            var list = _byId.TryGetValue(bot.ScenarioId, out var existing) ? existing : [];
            if (list.Any(b => string.Equals(b.Version, bot.Version, StringComparison.Ordinal))) return;
            Publish(_byId.SetItem(bot.ScenarioId, list.Insert(0, bot)));
        }
    }

    void Publish(ImmutableDictionary<string, ImmutableList<IScenarioBot>> byId)
    {
        _firstId = byId.Keys.Order(StringComparer.Ordinal).FirstOrDefault();
        _byId = byId;
    }

    /// <summary>The bot of a running conversation (every later turn asks): the last deployed of that id and version.</summary>
    public IScenarioBot? Find(string scenarioId, string version)
    {
        if (!_byId.TryGetValue(scenarioId, out var list)) return null;
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (string.Equals(list[i].Version, version, StringComparison.Ordinal)) return list[i];
        }
        return null;
    }

    /// <summary>The bot for a new conversation: the given id (or the default) at the given version (or the latest deployed).</summary>
    public IScenarioBot? Resolve(string? scenarioId, string? version)
    {
        var id = string.IsNullOrEmpty(scenarioId) ? DefaultScenarioId : scenarioId;
        if (id is null || !_byId.TryGetValue(id, out var list) || list.IsEmpty) return null;
        return string.IsNullOrEmpty(version) ? list[^1] : Find(id, version);
    }

    public IReadOnlyList<(string Id, ImmutableArray<string> Versions)> List() =>
        _byId.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value.Select(b => b.Version).ToImmutableArray())).ToList();
}
