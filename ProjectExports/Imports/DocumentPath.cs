namespace ProjectExports.Imports;

/// <summary>
/// A place in a document as the steps that lead to it, made a JSON Pointer (<see cref="JsonPointer"/>) only when an
/// issue names it: a large document has hundreds of thousands of places checked and a handful reported.
/// </summary>
public sealed class DocumentPath
{
    public static readonly DocumentPath Root = new(null, null, 0);

    private readonly DocumentPath? _parent;
    private readonly string? _name;
    private readonly int _index;

    private DocumentPath(DocumentPath? parent, string? name, int index) => (_parent, _name, _index) = (parent, name, index);

    public DocumentPath Append(string name) => new(this, name, 0);

    public DocumentPath Append(int index) => new(this, null, index);

    public override string ToString() =>
        _parent is null ? ""
        : _name is null ? JsonPointer.Append(_parent.ToString(), _index)
        : JsonPointer.Append(_parent.ToString(), _name);
}
