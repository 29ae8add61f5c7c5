//! The geography tree: city → district → neighborhood, named in Persian and English.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Area {
    Table,
    Id,
    ParentId,
    Kind,
    NameFa,
    NameEn,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Area::Table)
                    .col(
                        ColumnDef::new(Area::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Area::ParentId).integer().null())
                    .col(ColumnDef::new(Area::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(Area::NameFa).string_len(200).not_null())
                    .col(ColumnDef::new(Area::NameEn).string_len(200).not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_area_parent")
                            .from(Area::Table, Area::ParentId)
                            .to(Area::Table, Area::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .check(Expr::col(Area::Kind).is_in(["city", "district", "neighborhood"]))
                    .to_owned(),
            )
            .await?;
        // Two areas with the same parent may not share a name; NULL parents (cities)
        // are distinct in SQL, so city names are left to the administrators.
        manager
            .create_index(
                Index::create()
                    .name("ux_area_parent_name_fa")
                    .table(Area::Table)
                    .col(Area::ParentId)
                    .col(Area::NameFa)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_area_parent_name_en")
                    .table(Area::Table)
                    .col(Area::ParentId)
                    .col(Area::NameEn)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Area::Table).to_owned()).await
    }
}
