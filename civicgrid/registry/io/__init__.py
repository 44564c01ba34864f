"""Ledger import and export (导入导出), one file per concern:

- ``reader``: an uploaded xlsx/CSV file → header + rows of raw cells;
- ``cells``: parsers shared by several kinds (dates, phones, ID numbers, coordinates);
- ``columns``: the columns an importer declares, a row being validated (errors masked);
- ``engine``: the batch engine every kind runs through, its report and context;
- ``writes``: batched inserts/updates with their history rows;
- ``buildings``, ``dwellings``, ``people``, ``organizations``: one importer per kind;
- ``kinds``: which importer reads which kind, and ``import_ledger``;
- ``jobs``: uploads as background jobs (the uploaded file is deleted when the job ends);
- ``exports``: import templates, error reports, the grid ledger (xlsx and printed);
- ``views``, ``forms``, ``urls``: the pages under ``/registry/io/``.
"""
