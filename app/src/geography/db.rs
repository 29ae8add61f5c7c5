//! Areas of the geography tree and the queries over them.

use crate::geography::{City, District, Name, Neighborhood};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder};

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum AreaKind {
    #[sea_orm(string_value = "city")]
    City,
    #[sea_orm(string_value = "district")]
    District,
    #[sea_orm(string_value = "neighborhood")]
    Neighborhood,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "area")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub parent_id: Option<i32>,
    pub kind: AreaKind,
    pub name_fa: String,
    pub name_en: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    pub fn name(&self) -> Name {
        Name {
            fa: self.name_fa.clone(),
            en: self.name_en.clone(),
        }
    }
}

/// Adds one area under `parent` and returns its id.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    parent: Option<i32>,
    kind: AreaKind,
    name: &Name,
) -> Result<i32, DbErr> {
    let model = ActiveModel {
        parent_id: Set(parent),
        kind: Set(kind),
        name_fa: Set(name.fa.clone()),
        name_en: Set(name.en.clone()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(model.id)
}

pub async fn any_city<C: ConnectionTrait>(db: &C) -> Result<bool, DbErr> {
    Ok(Entity::find()
        .filter(Column::Kind.eq(AreaKind::City))
        .one(db)
        .await?
        .is_some())
}

/// Every city with its districts and neighborhoods, in the order they were set up.
pub async fn cities<C: ConnectionTrait>(db: &C) -> Result<Vec<City>, DbErr> {
    let areas = Entity::find().order_by_asc(Column::Id).all(db).await?;
    let children = |parent: i32, kind: AreaKind| {
        areas
            .iter()
            .filter(move |a| a.parent_id == Some(parent) && a.kind == kind)
    };
    Ok(areas
        .iter()
        .filter(|a| a.kind == AreaKind::City)
        .map(|city| City {
            id: city.id,
            name: city.name(),
            districts: children(city.id, AreaKind::District)
                .map(|district| District {
                    id: district.id,
                    name: district.name(),
                    neighborhoods: children(district.id, AreaKind::Neighborhood)
                        .map(|n| Neighborhood {
                            id: n.id,
                            name: n.name(),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect())
}

pub async fn by_id<C: ConnectionTrait>(db: &C, id: i32) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

/// The neighborhoods of a district, in the order they were set up.
pub async fn neighborhoods_of<C: ConnectionTrait>(db: &C, district_id: i32) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::ParentId.eq(district_id))
        .filter(Column::Kind.eq(AreaKind::Neighborhood))
        .order_by_asc(Column::Id)
        .all(db)
        .await
}

/// The district a neighborhood belongs to, if `neighborhood_id` is one.
pub async fn district_of_neighborhood<C: ConnectionTrait>(db: &C, neighborhood_id: i32) -> Result<Option<i32>, DbErr> {
    Ok(by_id(db, neighborhood_id)
        .await?
        .filter(|a| a.kind == AreaKind::Neighborhood)
        .and_then(|a| a.parent_id))
}
