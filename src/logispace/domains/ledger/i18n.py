"""English of the document pages (单证存证与鉴真)."""

from __future__ import annotations

ENGLISH: dict[str, str] = {
    "文件摘要": "File digest (SHA-256)",
    "单证存证": "Documents",
    "本单位签名存证的单证：只保存文件的哈希值，不保存文件本身。": (
        "Documents your party signed and notarized: only their hashes are kept, never the files."
    ),
    "标题": "Title",
    "单证编号": "Reference",
    "版本": "Version",
    "签名时间": "Signed at",
    "签名存证": "Sign and notarize",
    "文件": "File",
    "默认为文件名": "Defaults to the file name",
    "作为新版本加入": "Add as a new version of",
    "新单证": "A new document",
    "与存证版本一致": "Matches the notarized version",
    "与存证版本不一致": "Does not match the notarized version",
    "未找到存证": "No notarized record",
    "文件与已存证的版本一致。": "The file matches a notarized version.",
    "文件与本单证的任何存证版本都不一致，请核实文件来源。": (
        "The file matches none of this document's notarized versions: check where it came from."
    ),
    "没有找到与该文件一致的存证。": "No notarized document matches this file.",
    "签名主体": "Signer",
    "已被新版本取代": "Superseded by a later version",
    "签名验证": "Signature",
    "已受理，待并入账本": "Admitted, awaiting integration into the ledger",
    "有效签名": "Valid",
    "无效签名": "Invalid",
    "验证失败": "Failed",
    "存证序号": "Ledger index",
    "账本包含证明": "Ledger inclusion proof",
    "已验证": "Verified",
    "树大小": "tree size",
    "签发主体": "Issuer",
    "扫码打开本页核验": "Scan to open this page and verify",
    "密钥": "key",
    "当前版本": "Current version",
    "核验文件": "Verify a file",
    "选择要核验的文件": "File to verify",
    "核验": "Verify",
}

FIELD_LABELS: dict[str, str] = {
    "file": "文件",
    "title": "标题",
    "reference": "单证编号",
    "document_id": "作为新版本加入",
}
"""The Chinese name of each field of this domain's page forms (for the page that refuses one)."""
