def uninstall_hook(env):
    # Odoo drops the columns this add-on created, not the indexes its models' init() added.
    env.cr.execute("DROP INDEX IF EXISTS stock_lot_name_exact_index")
