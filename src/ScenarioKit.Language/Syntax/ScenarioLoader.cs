using System.Text;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Model;

namespace ScenarioKit.Language.Syntax;

/// <summary>The files of a scenario and their trees, with folder fragments merged into one root mapping.</summary>
internal sealed record ScenarioSyntax(IReadOnlyList<SourceFile> Files, MappingNode? Root, string? RootDirectory);

/// <summary>
/// Reads a scenario file or folder (docs/language.md "Files"). Folder: scenario.yaml plus flows/, intents/,
/// actions/ *.yaml in ordinal path order; files ending in .test.yaml are tests, not scenario.
/// </summary>
internal static class ScenarioLoader
{
    static readonly string[] FragmentFolders = ["flows", "intents", "actions"];

    /// <summary>
    /// The keys a part file may hold: its folder's, and in intents/ also <c>vocabulary</c>, so synonyms can sit
    /// beside the intents that need them. Every file's entries join the one scenario-wide section.
    /// </summary>
    static string[] KeysOf(string folder) => folder == "intents" ? ["intents", "vocabulary"] : [folder];

    static readonly string[] MergedSections = ["flows", "intents", "actions", "vocabulary"];
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static ScenarioSyntax Load(string path, CompileOptions options, DiagnosticBag diagnostics)
    {
        var full = Path.GetFullPath(path);
        // scenario.yaml of a folder scenario, given as a file (an editor task passes the open file): compile the folder.
        if (File.Exists(full) && string.Equals(Path.GetFileName(full), "scenario.yaml", StringComparison.Ordinal)
            && Path.GetDirectoryName(full) is { } parent && FragmentFolders.Any(f => Directory.Exists(Path.Combine(parent, f))))
            full = parent;
        string root;
        List<(string Full, string Relative)> files = [];
        if (Directory.Exists(full))
        {
            root = full;
            files.Add((Path.Combine(full, "scenario.yaml"), "scenario.yaml"));
            foreach (var folder in FragmentFolders)
            {
                var dir = Path.Combine(full, folder);
                if (!Directory.Exists(dir)) continue;
                try
                {
                    var found = Directory.EnumerateFiles(dir, "*.*", SearchOption.AllDirectories)
                        .Where(f => (f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                                    && !f.EndsWith(".test.yaml", StringComparison.OrdinalIgnoreCase) && !f.EndsWith(".test.yml", StringComparison.OrdinalIgnoreCase))
                        .Select(f => (f, Path.GetRelativePath(full, f).Replace('\\', '/')))
                        .OrderBy(f => f.Item2, StringComparer.Ordinal)
                        .ToList();
                    files.AddRange(found);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
                {
                    diagnostics.Report(DiagnosticCatalog.CannotRead, new SourceSpan(folder + "/", 1, 1, 1, 1), folder + "/", new Localized(e.Message, e.Message));
                }
            }
        }
        else
        {
            root = Path.GetDirectoryName(full) ?? ".";
            files.Add((full, Path.GetFileName(full)));
        }

        if (files.Count > options.MaxFiles)
        {
            diagnostics.Report(DiagnosticCatalog.CannotRead, new SourceSpan(files[0].Relative, 1, 1, 1, 1), path,
                new Localized($"the folder holds {files.Count} YAML files; the limit is {options.MaxFiles}", $"YAML ファイルが {files.Count} 個あり、上限 {options.MaxFiles} を超えています"));
            return new ScenarioSyntax([], null, root);
        }

        var sources = new List<SourceFile>();
        var trees = new List<(SourceFile File, YamlNode? Tree)>();
        var budget = new YamlReader.NodeBudget();
        foreach (var (fullPath, relative) in files)
        {
            var file = ReadFile(fullPath, relative, options, diagnostics);
            // Without its scenario.yaml a folder has no root to merge fragments into (the reason is reported).
            if (file is null && sources.Count == 0) return new ScenarioSyntax([], null, root);
            if (file is null) continue;
            sources.Add(file);
            trees.Add((file, YamlReader.Read(file, diagnostics, options, budget)));
        }
        return new ScenarioSyntax(sources, Merge(trees, diagnostics), root);
    }

    public static ScenarioSyntax LoadText(string text, string fileName, CompileOptions options, DiagnosticBag diagnostics)
    {
        var file = new SourceFile(fileName, text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text);
        if (text.Length > options.MaxFileBytes)
        {
            diagnostics.Report(DiagnosticCatalog.FileTooLarge, file.Start, text.Length, options.MaxFileBytes);
            return new ScenarioSyntax([file], null, null);
        }
        var tree = YamlReader.Read(file, diagnostics, options, new YamlReader.NodeBudget());
        return new ScenarioSyntax([file], Merge([(file, tree)], diagnostics), null);
    }

    static SourceFile? ReadFile(string fullPath, string relative, CompileOptions options, DiagnosticBag diagnostics)
    {
        var at = new SourceSpan(relative, 1, 1, 1, 1);
        byte[] bytes;
        try
        {
            var info = new FileInfo(fullPath);
            if (!info.Exists)
            {
                diagnostics.Report(DiagnosticCatalog.CannotRead, at, relative, new Localized("the file does not exist", "ファイルが存在しません"));
                return null;
            }
            if (info.Length > options.MaxFileBytes)
            {
                diagnostics.Report(DiagnosticCatalog.FileTooLarge, at, info.Length, options.MaxFileBytes);
                return null;
            }
            bytes = File.ReadAllBytes(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            diagnostics.Report(DiagnosticCatalog.CannotRead, at, relative, new Localized(e.Message, e.Message));
            return null;
        }
        if (bytes.Length > options.MaxFileBytes)
        {
            diagnostics.Report(DiagnosticCatalog.FileTooLarge, at, bytes.Length, options.MaxFileBytes);
            return null;
        }
        var offset = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        try
        {
            return new SourceFile(relative, StrictUtf8.GetString(bytes, offset, bytes.Length - offset));
        }
        catch (DecoderFallbackException e)
        {
            diagnostics.Report(DiagnosticCatalog.InvalidEncoding, at, e.Index >= 0 ? e.Index + offset : offset);
            return null;
        }
    }

    /// <summary>
    /// Folds fragment files into the root mapping: each fragment's entries are appended to the section of
    /// its folder, after scenario.yaml's own entries, in file order. A name defined twice is SK3001.
    /// </summary>
    static MappingNode? Merge(List<(SourceFile File, YamlNode? Tree)> trees, DiagnosticBag diagnostics)
    {
        if (trees.Count == 0) return null;
        var (rootFile, rootTree) = trees[0];
        MappingNode root;
        switch (rootTree)
        {
            case MappingNode m: root = m; break;
            case null when diagnostics.HasErrors: return null;
            case null: root = new MappingNode(rootFile, 0, 0, []); break;
            case ScalarNode { Kind: ScalarKind.Null }: root = new MappingNode(rootFile, 0, 0, []); break;
            default:
                diagnostics.Report(DiagnosticCatalog.TypeMismatch, rootTree.Span, new Localized("the scenario", "シナリオ"),
                    Names.TypeName("mapping"), Names.TypeName(rootTree.KindName));
                return null;
        }
        if (trees.Count == 1) return root;

        var sections = new Dictionary<string, List<KeyValuePair<ScalarNode, YamlNode>>>(StringComparer.Ordinal);
        var sectionNodes = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var e in root.Entries)
            if (MergedSections.Contains(e.Key.Value) && e.Value is MappingNode section)
            {
                sections[e.Key.Value] = [.. section.Entries];
                sectionNodes[e.Key.Value] = section;
            }

        foreach (var (file, tree) in trees.Skip(1))
        {
            var folder = file.Path.Split('/')[0];
            if (tree is null or ScalarNode { Kind: ScalarKind.Null }) continue;
            if (tree is not MappingNode fragment)
            {
                diagnostics.Report(DiagnosticCatalog.TypeMismatch, tree.Span, new Localized(file.Path, file.Path), Names.TypeName("mapping"), Names.TypeName(tree.KindName));
                continue;
            }
            var allowed = KeysOf(folder);
            foreach (var entry in fragment.Entries)
            {
                var key = entry.Key.Value;
                if (!allowed.Contains(key))
                {
                    diagnostics.Report(DiagnosticCatalog.FragmentKey, entry.Key.Span, folder, key, string.Join(", ", allowed.Select(a => $"'{a}'")));
                    continue;
                }
                if (entry.Value is ScalarNode { Kind: ScalarKind.Null }) continue;
                if (entry.Value is not MappingNode items)
                {
                    diagnostics.Report(DiagnosticCatalog.TypeMismatch, entry.Value.Span, new Localized(key, key), Names.TypeName("mapping"), Names.TypeName(entry.Value.KindName));
                    continue;
                }
                if (!sections.TryGetValue(key, out var list))
                {
                    sections[key] = list = [];
                    sectionNodes[key] = items;
                }
                foreach (var item in items.Entries)
                {
                    var first = list.FirstOrDefault(x => string.Equals(x.Key.Value, item.Key.Value, StringComparison.Ordinal)).Key;
                    if (first is not null)
                    {
                        diagnostics.ReportRelated(DiagnosticCatalog.DuplicateName, item.Key.Span, first.Span, Names.KindOfSection(key), item.Key.Value, first.Span);
                        continue;
                    }
                    list.Add(item);
                }
            }
        }

        var merged = new List<KeyValuePair<ScalarNode, YamlNode>>();
        foreach (var e in root.Entries)
            merged.Add(sections.TryGetValue(e.Key.Value, out var list) && e.Value is MappingNode m
                ? new(e.Key, new MappingNode(m.File, m.Start, m.End, list) { Size = m.Size, Height = m.Height })
                : e);
        foreach (var section in MergedSections)
        {
            if (!sections.TryGetValue(section, out var list) || root[section] is MappingNode) continue;
            if (root.KeyOf(section) is not null) continue; // scenario.yaml has a malformed section: the checks report it
            var node = sectionNodes[section];
            var key = new ScalarNode(node.File, node.Start, node.Start, section, ScalarKind.String, quoted: false);
            merged.Add(new(key, new MappingNode(node.File, node.Start, node.End, list)));
        }
        return new MappingNode(root.File, root.Start, root.End, merged) { Size = root.Size, Height = root.Height };
    }
}
